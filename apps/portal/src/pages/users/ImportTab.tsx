import { Alert, Button, FileInput, Group, Stack, Text, Textarea } from '@mantine/core';
import { IconDownload, IconFileUpload } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useMutation } from 'urql';
import { REGISTER_USERS, type RegisterUsersData } from '../../api/documents';
import { useAccount } from '../../app/AccountLayout';
import { Busy } from '../../components/Busy';
import { StatusBadge } from '../../components/StatusBadge';
import { DataTable } from '../../components/DataTable';
import { ErrorMessage } from '../../components/ErrorMessage';
import { IMPORT_COLUMNS, IMPORT_TEMPLATE, outcomesOf, parseImport, toBulkInput, type ImportOutcome, type ImportRow } from '../../lib/bulk-import';
import { downloadCsv } from '../../lib/csv';

type Stage =
  | { kind: 'editing' }
  | { kind: 'checking' | 'registering'; count: number }
  | { kind: 'previewed'; rows: ImportRow[]; outcomes: ImportOutcome[]; wouldRegister: number; commandId: string }
  | { kind: 'done'; outcomes: ImportOutcome[]; registered: number; failed: number };

/**
 * Bulk CSV import (onboarding's registerUsers): the file is checked with `dryRun: true`
 * first, which appends nothing, and every line shows what would happen; only then does
 * "Register" send the same rows, once (one commandId per preview, so a repeat answers the first result).
 */
export function ImportTab({ groups, onRegistered }: { groups: readonly { id: string; name: string }[]; onRegistered: () => void }) {
  const { accountId, account } = useAccount();
  const [text, setText] = useState('');
  const [stage, setStage] = useState<Stage>({ kind: 'editing' });
  const [failure, setFailure] = useState<unknown>(null);
  const [, registerUsers] = useMutation<RegisterUsersData>(REGISTER_USERS);
  const parsed = useMemo(() => (text.trim() ? parseImport(text, groups) : null), [text, groups]);

  const check = async () => {
    if (!parsed?.ok) return;
    setFailure(null);
    const { rows, problems } = parsed;
    if (rows.length === 0) {
      setStage({ kind: 'previewed', rows, outcomes: outcomesOf(rows, problems, [], true), wouldRegister: 0, commandId: crypto.randomUUID() });
      return;
    }
    setStage({ kind: 'checking', count: rows.length + problems.length });
    const result = await registerUsers({ input: { accountId, users: toBulkInput(rows), dryRun: true } });
    if (result.error || !result.data) {
      setFailure(result.error);
      setStage({ kind: 'editing' });
      return;
    }
    const answer = result.data.registerUsers;
    setStage({
      kind: 'previewed',
      rows,
      outcomes: outcomesOf(rows, problems, answer.results, true),
      wouldRegister: answer.registered,
      commandId: crypto.randomUUID(),
    });
  };

  const commit = async () => {
    if (stage.kind !== 'previewed') return;
    const { rows, commandId } = stage;
    const problems = parsed?.ok ? parsed.problems : [];
    setFailure(null);
    setStage({ kind: 'registering', count: stage.wouldRegister });
    const result = await registerUsers({ input: { commandId, accountId, users: toBulkInput(rows) } });
    if (result.error || !result.data) {
      setFailure(result.error);
      setStage(stage);
      return;
    }
    const answer = result.data.registerUsers;
    setStage({
      kind: 'done',
      outcomes: outcomesOf(rows, problems, answer.results, false),
      registered: answer.registered,
      failed: answer.failed + problems.length,
    });
    onRegistered();
  };

  const startOver = () => {
    setText('');
    setFailure(null);
    setStage({ kind: 'editing' });
  };
  const busy = stage.kind === 'checking' || stage.kind === 'registering';

  return (
    <Stack>
      <Text size="sm">
        Register many users at once from a CSV file with the columns <code>{IMPORT_COLUMNS.join(',')}</code> (only email and displayName are required; roles and
        groups are separated by <code>;</code>, groups named as in this account; an empty country is the account’s, {account.entitlementCountry}). The file is
        checked first and nothing is registered until you confirm; each line succeeds or fails on its own.
      </Text>
      {(stage.kind === 'editing' || busy) && (
        <>
          <Group align="flex-end" wrap="wrap">
            <FileInput
              label="CSV file"
              placeholder="Choose a file"
              accept=".csv,text/csv"
              leftSection={<IconFileUpload size={16} aria-hidden />}
              clearable={false}
              onChange={(file) => void file?.text().then(setText)}
              disabled={busy}
              w={260}
            />
            <Button
              variant="subtle"
              leftSection={<IconDownload size={14} aria-hidden />}
              onClick={() => downloadCsv('users-import-template.csv', IMPORT_TEMPLATE)}
            >
              Download a template
            </Button>
          </Group>
          <Textarea
            label="CSV text"
            description="The chosen file appears here; you can also paste or edit the lines."
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            autosize
            minRows={4}
            maxRows={14}
            disabled={busy}
            styles={{ input: { fontFamily: 'monospace' } }}
          />
          {parsed && !parsed.ok && (
            <Text c="red.9" size="sm" role="alert">
              {parsed.message}
            </Text>
          )}
          {busy ? (
            <Busy
              label={
                stage.kind === 'checking'
                  ? `Checking ${stage.count.toLocaleString('en')} lines (nothing is registered yet)…`
                  : `Registering ${stage.count.toLocaleString('en')} users…`
              }
            />
          ) : (
            <Group>
              <Button onClick={() => void check()} disabled={!parsed?.ok}>
                Check the file
              </Button>
            </Group>
          )}
        </>
      )}
      <ErrorMessage error={failure} title={stage.kind === 'previewed' ? 'Nothing was registered' : 'Could not check the file'} />
      {stage.kind === 'previewed' && (
        <>
          <Alert
            color={stage.wouldRegister > 0 ? 'blue' : 'yellow'}
            title="Preview: nothing has been registered yet"
            role="status"
            data-testid="import-preview"
          >
            {stage.wouldRegister.toLocaleString('en')} of {stage.outcomes.length.toLocaleString('en')} lines would be registered
            {stage.outcomes.length > stage.wouldRegister
              ? `; ${(stage.outcomes.length - stage.wouldRegister).toLocaleString('en')} would fail (see below)`
              : ''}
            .
          </Alert>
          <Group>
            <Button onClick={() => void commit()} disabled={stage.wouldRegister === 0}>
              Register {stage.wouldRegister.toLocaleString('en')} {stage.wouldRegister === 1 ? 'user' : 'users'}
            </Button>
            <Button variant="outline" onClick={() => setStage({ kind: 'editing' })}>
              Change the file
            </Button>
          </Group>
          <Outcomes outcomes={stage.outcomes} caption="Preview of the import" name="preview" />
        </>
      )}
      {stage.kind === 'done' && (
        <>
          <Alert color={stage.failed === 0 ? 'green' : 'yellow'} title="Import finished" role="status" data-testid="import-done">
            Registered {stage.registered.toLocaleString('en')} {stage.registered === 1 ? 'user' : 'users'}
            {stage.failed > 0 ? `; ${stage.failed.toLocaleString('en')} ${stage.failed === 1 ? 'line' : 'lines'} failed and registered nothing` : ''}.
          </Alert>
          <Group>
            <Button variant="outline" onClick={startOver}>
              Import another file
            </Button>
          </Group>
          <Outcomes outcomes={stage.outcomes} caption="Outcome of the import" name="outcome" />
        </>
      )}
    </Stack>
  );
}

function Outcomes({ outcomes, caption, name }: { outcomes: ImportOutcome[]; caption: string; name: string }) {
  return (
    <DataTable
      testId={`import-${name}-table`}
      caption={caption}
      data={outcomes}
      rowKey={(o) => String(o.line)}
      csvName={['users-import', name]}
      initialSort={{ id: 'ok' }}
      columns={[
        { id: 'line', header: 'Line', value: (o) => o.line, numeric: true },
        { id: 'email', header: 'Email', value: (o) => o.email },
        { id: 'displayName', header: 'Name', value: (o) => o.displayName },
        {
          id: 'ok',
          header: 'Result',
          // Failures first.
          value: (o) => (o.ok ? 1 : 0),
          cell: (o) => <StatusBadge color={o.ok ? 'green' : 'red'}>{o.ok ? 'OK' : 'Fails'}</StatusBadge>,
          csv: false,
        },
        { id: 'message', header: 'Details', value: (o) => o.message },
        { id: 'errorCode', header: 'Error code', value: (o) => o.code, visible: false },
        { id: 'userId', header: 'User id', value: (o) => o.userId, visible: false },
      ]}
    />
  );
}
