import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { describeError } from '../api/errors';

/** An API error in words (never raw JSON), announced to screen readers. */
export function ErrorMessage({ error, title = 'Something went wrong', messages }: { error: unknown; title?: string; messages?: Record<string, string> }) {
  if (!error) return null;
  const { code, message } = describeError(error, messages);
  return (
    <Alert color="red" title={title} role="alert" icon={<IconAlertCircle aria-hidden />} data-testid="api-error" data-code={code}>
      {message}
    </Alert>
  );
}
