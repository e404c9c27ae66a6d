import { Badge } from '@mantine/core';
import type { ReactNode } from 'react';

/** A status in a table cell: never cut to "PEND…" when the table is narrow (a Mantine badge would shrink with its column). */
export function StatusBadge({ color, children }: { color: string; children: ReactNode }) {
  return (
    <Badge color={color} variant="light" style={{ minWidth: 'max-content' }}>
      {children}
    </Badge>
  );
}
