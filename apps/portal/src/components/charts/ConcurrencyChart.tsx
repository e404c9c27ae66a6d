import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import type { ConcurrencyPoint } from '../../api/documents';

export interface ConcurrencyChartProps {
  points: readonly ConcurrencyPoint[];
  /** How bucket starts are labelled on the x axis. */
  resolution: 'day' | 'time';
  height?: number;
  /** A short description of what the chart shows (screen readers get it instead of the drawing). */
  summary: string;
}

/** Peak seats in use per bucket against seats owned (Mantine Charts on Recharts). */
export default function ConcurrencyChart({ points, resolution, height = 260, summary }: ConcurrencyChartProps) {
  const data = points.map((p) => ({
    bucket: resolution === 'day' ? p.bucketStart.slice(0, 10) : `${p.bucketStart.slice(5, 10)} ${p.bucketStart.slice(11, 16)}`,
    'Seats in use (peak)': p.peakInUse,
    'Seats owned': p.seats,
  }));
  return (
    <div role="img" aria-label={summary} data-testid="concurrency-chart" data-points={points.length}>
      <LineChart
        h={height}
        data={data}
        dataKey="bucket"
        curveType="stepAfter"
        withDots={false}
        withLegend
        legendProps={{ verticalAlign: 'bottom' }}
        strokeWidth={1.6}
        yAxisProps={{ allowDecimals: false, width: 40 }}
        xAxisProps={{ minTickGap: 24 }}
        lineChartProps={{ accessibilityLayer: false }}
        tooltipAnimationDuration={0}
        series={[
          { name: 'Seats in use (peak)', color: 'blue.8' },
          { name: 'Seats owned', color: 'red.8', strokeDasharray: '6 4' },
        ]}
      />
    </div>
  );
}
