import { Alert, Anchor, Button, Center, Code, Divider, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../app/session';
import { startOidcSignIn } from '../auth/oidc';
import { tokenProblem } from '../auth/token';

/** Sign-in: the organisation's OIDC issuer when configured, else (and always) a pasted bearer token. */
export function SignInPage() {
  const { session, runtime, notice, signIn } = useSession();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [redirecting, setRedirecting] = useState(false);
  useEffect(() => {
    document.title = 'Sign in · SES Analytics Portal';
  }, []);
  if (session) return <Navigate to={from} replace />;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, '');
    const why = value ? tokenProblem(value, Date.now()) : 'Paste a token first.';
    if (why) {
      setProblem(why);
      return;
    }
    signIn(value);
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" maw={560} w="100%">
        <Stack>
          <Title order={1} size="h2">
            SES Analytics Portal
          </Title>
          <Text>Usage, seats, users and alerts of your organisation’s licenses.</Text>
          {notice && (
            <Alert color="blue" role="status">
              {notice}
            </Alert>
          )}
          {runtime.oidc && (
            <>
              <Button
                size="md"
                loading={redirecting}
                onClick={() => {
                  setRedirecting(true);
                  startOidcSignIn(runtime.oidc!).catch(() => {
                    setRedirecting(false);
                    setProblem('The sign-in service could not be reached. Try again, or paste a token below.');
                  });
                }}
              >
                Sign in with your organisation
              </Button>
              <Divider label="or paste a token" labelPosition="center" />
            </>
          )}
          <form onSubmit={submit} noValidate>
            <Stack gap="sm">
              <Textarea
                label="Bearer token"
                description="A JWT for the service’s APIs. It is kept only in this browser tab."
                value={token}
                onChange={(e) => {
                  setToken(e.currentTarget.value);
                  setProblem(null);
                }}
                autosize
                minRows={3}
                maxRows={8}
                spellCheck={false}
                autoComplete="off"
                error={problem}
                styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
              />
              <Button type="submit">Sign in with this token</Button>
            </Stack>
          </form>
          <Text size="sm" c="dimmed">
            For development, <Code>npm run token -- --email you@example.com</Code> prints a token; you can also open{' '}
            <Anchor href={`${import.meta.env.BASE_URL}#token=`}>/portal/#token=&lt;token&gt;</Anchor>.
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
