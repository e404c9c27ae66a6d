import { Progress, Stack, Text } from '@mantine/core';

/** Progress of a long operation: a moving bar with what is happening (and how far, when known). */
export function Busy({ label, value }: { label: string; value?: number }) {
  return (
    <Stack gap={4} role="status" aria-live="polite" data-testid="busy">
      <Text size="sm">{label}</Text>
      <Progress value={value ?? 100} animated={value === undefined} striped={value === undefined} aria-label={label} size="sm" />
    </Stack>
  );
}
