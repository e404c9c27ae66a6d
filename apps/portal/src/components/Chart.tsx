import { Button, Group, Skeleton, VisuallyHidden } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { lazy, Suspense } from 'react';
import { csvFileName, downloadCsv, toCsv } from '../lib/csv';
import type { ConcurrencyChartProps } from './charts/ConcurrencyChart';

// The chart library (Recharts) is its own chunk: tables and figures show before it arrives.
const loadChart = () => import('./charts/ConcurrencyChart');
const LazyConcurrencyChart = lazy(loadChart);

/** Pages with charts call this when they load, so the chart code downloads while their data does. */
export function preloadChart(): void {
  void loadChart();
}

/** Peak seats in use against seats owned; with `csvName`, its points download as CSV (bucketStart, peakInUse, seats). */
export function ConcurrencyChart({ csvName, ...props }: ConcurrencyChartProps & { csvName?: string[] }) {
  return (
    <div>
      {csvName && (
        <Group justify="flex-end" mb={4}>
          <Button
            variant="outline"
            size="xs"
            leftSection={<IconDownload size={14} aria-hidden />}
            disabled={props.points.length === 0}
            onClick={() =>
              downloadCsv(
                csvFileName(...csvName),
                toCsv(
                  ['bucketStart', 'peakInUse', 'seats'],
                  props.points.map((p) => [p.bucketStart, p.peakInUse, p.seats]),
                ),
              )
            }
          >
            Download CSV<VisuallyHidden>: {props.summary}</VisuallyHidden>
          </Button>
        </Group>
      )}
      <Suspense fallback={<Skeleton h={props.height ?? 260} role="status" aria-label="Loading the chart" />}>
        <LazyConcurrencyChart {...props} />
      </Suspense>
    </div>
  );
}
