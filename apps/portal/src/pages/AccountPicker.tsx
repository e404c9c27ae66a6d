import { Button, Group, List, Anchor, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { PageTitle } from '../components/PageTitle';
import { readRecentAccounts } from '../lib/recent-accounts';

/** The operator reads every account: they pick one by its id (as the back office knows it from openAccount). */
export function AccountPickerPage() {
  const [id, setId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const navigate = useNavigate();
  const recent = readRecentAccounts();
  return (
    <Stack maw={640}>
      <PageTitle title="Choose an account" description="As the operator you can open any account. Enter the account id that openAccount returned." />
      <Paper withBorder p="md">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const value = id.trim();
            if (!value) {
              setProblem('Enter an account id.');
              return;
            }
            void navigate(`/a/${encodeURIComponent(value)}/overview`);
          }}
        >
          <Group align="flex-end">
            <TextInput
              label="Account id"
              value={id}
              onChange={(e) => {
                setId(e.currentTarget.value);
                setProblem(null);
              }}
              error={problem}
              style={{ flex: 1, minWidth: 220 }}
              autoComplete="off"
              spellCheck={false}
            />
            <Button type="submit">Open</Button>
          </Group>
        </form>
      </Paper>
      {recent.length > 0 && (
        <Stack gap={4}>
          <Text fw={600}>Recently opened</Text>
          <List>
            {recent.map((a) => (
              <List.Item key={a.id}>
                <Anchor component={Link} to={`/a/${encodeURIComponent(a.id)}/overview`}>
                  {a.name}
                </Anchor>{' '}
                <Text span size="sm" c="dimmed">
                  ({a.id})
                </Text>
              </List.Item>
            ))}
          </List>
        </Stack>
      )}
    </Stack>
  );
}
