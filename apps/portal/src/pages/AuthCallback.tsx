import { Alert, Button, Center, Stack } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { FullPageLoader } from '../app/Shell';
import { useSession } from '../app/session';
import { completeOidcSignIn } from '../auth/oidc';

/** Where the OIDC issuer sends the browser back with the authorization code (exchanged with PKCE). */
export function AuthCallbackPage() {
  const { runtime, session, signIn } = useSession();
  const navigate = useNavigate();
  const [failed, setFailed] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (!runtime.oidc || started.current) return;
    started.current = true;
    completeOidcSignIn(runtime.oidc)
      .then((token) => {
        signIn(token);
        void navigate('/', { replace: true });
      })
      .catch(() => setFailed('Signing in with your organisation did not complete. Please try again.'));
  }, [runtime.oidc, signIn, navigate]);
  if (!runtime.oidc || (session && !failed)) return <Navigate to="/" replace />;
  if (!failed) return <FullPageLoader label="Completing sign-in…" />;
  return (
    <Center h="100vh" p="md" component="main">
      <Stack maw={480}>
        <Alert color="red" role="alert" title="Sign-in failed">
          {failed}
        </Alert>
        <Button onClick={() => void navigate('/sign-in', { replace: true })}>Back to sign-in</Button>
      </Stack>
    </Center>
  );
}
