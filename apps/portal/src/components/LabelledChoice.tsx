import { SegmentedControl, Text } from '@mantine/core';
import { useId } from 'react';

interface LabelledChoiceProps<T extends string> {
  label: string;
  value: T;
  onChange: (value: T) => void;
  data: readonly { value: T; label: string }[];
}

/** A SegmentedControl with a visible label that screen readers announce with it (Mantine's control takes no `label` of its own). */
export function LabelledChoice<T extends string>({ label, value, onChange, data }: LabelledChoiceProps<T>) {
  const labelId = useId();
  return (
    <div>
      <Text size="sm" fw={500} id={labelId} mb={2}>
        {label}
      </Text>
      <SegmentedControl aria-labelledby={labelId} value={value} onChange={(v) => onChange(v as T)} data={[...data]} />
    </div>
  );
}
