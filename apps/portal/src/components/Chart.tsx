import { Skeleton } from '@mantine/core';
import { lazy, Suspense } from 'react';
import type { ConcurrencyChartProps } from './charts/ConcurrencyChart';

// The chart library (Recharts) is its own chunk: tables and figures show before it arrives.
const LazyConcurrencyChart = lazy(() => import('./charts/ConcurrencyChart'));

export function ConcurrencyChart(props: ConcurrencyChartProps) {
  return (
    <Suspense fallback={<Skeleton h={props.height ?? 260} role="status" aria-label="Loading the chart" />}>
      <LazyConcurrencyChart {...props} />
    </Suspense>
  );
}
