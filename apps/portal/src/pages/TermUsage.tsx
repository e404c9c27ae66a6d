import { Alert, Button, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { CONCURRENCY, TERM_USAGE, type ConcurrencyData, type TermUsageData, type TermUsageRow } from '../api/documents';
import { useAccount } from '../app/AccountLayout';
import { Busy } from '../components/Busy';
import { ConcurrencyChart, preloadChart } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { ErrorMessage } from '../components/ErrorMessage';
import { PageTitle } from '../components/PageTitle';
import { summarizeQuarter, type ProductQuarter } from '../lib/term-usage';
import { endOfDay, recentQuarters, startOfDay } from '../lib/time';

// This page draws charts: fetch the chart code along with the data.
preloadChart();

/** Term license usage per product and quarter: the peak, seats owned and overage, down to the day and the hour of the peak. */
export function TermUsagePage() {
  const { accountId, products, productName } = useAccount();
  const quarters = useMemo(() => recentQuarters(new Date(), 8), []);
  const [quarterId, setQuarterId] = useState(quarters[0].id);
  const quarter = quarters.find((q) => q.id === quarterId) ?? quarters[0];
  const [selected, setSelected] = useState<string | null>(null);
  const [{ data, error, fetching }] = useQuery<TermUsageData>({ query: TERM_USAGE, variables: { accountId, from: quarter.from, to: quarter.to } });
  const rows = useMemo(() => data?.termLicenseUsage ?? [], [data]);
  const summary = useMemo(() => summarizeQuarter(rows, products), [rows, products]);
  const detail = selected ? summary.find((s) => s.productId === selected) : undefined;
  return (
    <Stack>
      <PageTitle
        title="Term license usage"
        description="Seats in use above seats owned are term license usage. Per product and quarter: the peak, the seats owned and the overage (UTC days)."
      />
      <Group align="flex-end">
        <Select
          label="Quarter"
          data={quarters.map((q) => ({ value: q.id, label: q.label }))}
          value={quarterId}
          onChange={(v) => {
            if (v) setQuarterId(v);
            setSelected(null);
          }}
          allowDeselect={false}
          w={180}
        />
      </Group>
      <ErrorMessage error={error} title="Could not load term license usage" />
      {fetching && !data && <Busy label={`Loading term license usage for ${quarter.label}…`} />}
      {data && (
        <Card withBorder>
          <DataTable
            testId="term-usage-summary"
            caption={`Term license usage in ${quarter.label}`}
            data={summary}
            rowKey={(r) => r.productId}
            csvName={['term-license-usage', quarter.id]}
            columns={[
              { id: 'productId', header: 'Product id', value: (r) => r.productId, visible: false },
              { id: 'productName', header: 'Product', value: (r) => r.productName },
              { id: 'seats', header: 'Seats owned', value: (r) => r.seats, numeric: true },
              { id: 'peakInUse', header: 'Peak in use', value: (r) => r.peakInUse, numeric: true },
              { id: 'peakDay', header: 'Peak day', value: (r) => r.peakDay ?? '' },
              { id: 'overage', header: 'Overage (seats)', value: (r) => r.overage, numeric: true },
              { id: 'overageDays', header: 'Days over', value: (r) => r.overageDays, numeric: true },
              {
                id: 'details',
                header: 'Details',
                value: () => '',
                csv: false,
                sortable: false,
                cell: (r) => (
                  <Button size="compact-xs" variant="outline" onClick={() => setSelected(r.productId)} aria-pressed={selected === r.productId}>
                    Days of {r.productName}
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      )}
      {detail && (
        <ProductDays
          accountId={accountId}
          quarterId={quarter.id}
          product={detail}
          rows={rows.filter((r) => r.productId === detail.productId)}
          name={productName(detail.productId)}
        />
      )}
    </Stack>
  );
}

function ProductDays({
  accountId,
  quarterId,
  product,
  rows,
  name,
}: {
  accountId: string;
  quarterId: string;
  product: ProductQuarter;
  rows: TermUsageRow[];
  name: string;
}) {
  const [day, setDay] = useState<string | null>(product.peakDay);
  return (
    <Card withBorder component="section" aria-labelledby="days-title">
      <Title order={3} size="h4" id="days-title" mb="xs">
        {name} in {quarterId.replace('-', ' ')}: day by day
      </Title>
      {day && <DayHours accountId={accountId} productId={product.productId} day={day} name={name} />}
      <DataTable
        testId="term-usage-days"
        caption={`${name}: seats in use per day`}
        data={rows}
        rowKey={(r) => r.day}
        csvName={['term-license-usage', product.productId, quarterId, 'days']}
        initialSort={{ id: 'day' }}
        pageSize={31}
        empty="No usage of this product in the quarter."
        columns={[
          { id: 'day', header: 'Day (UTC)', value: (r) => r.day },
          { id: 'peakInUse', header: 'Peak in use', value: (r) => r.peakInUse, numeric: true },
          { id: 'seats', header: 'Seats owned', value: (r) => r.seats, numeric: true },
          { id: 'overage', header: 'Overage', value: (r) => r.overage, numeric: true },
          {
            id: 'hours',
            header: 'Hours',
            value: () => '',
            csv: false,
            sortable: false,
            cell: (r) => (
              <Button size="compact-xs" variant="outline" onClick={() => setDay(r.day)} aria-pressed={day === r.day}>
                Hours of {r.day}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}

/** The day's hours: which hour held the peak (concurrency by HOUR). */
function DayHours({ accountId, productId, day, name }: { accountId: string; productId: string; day: string; name: string }) {
  const [{ data, error, fetching }] = useQuery<ConcurrencyData>({
    query: CONCURRENCY,
    variables: { accountId, productId, from: startOfDay(day), to: endOfDay(day), interval: 'HOUR' },
  });
  const points = data?.concurrency ?? [];
  const peak = points.reduce<(typeof points)[number] | null>((best, p) => (!best || p.peakInUse > best.peakInUse ? p : best), null);
  return (
    <Stack mb="md" gap="xs">
      <Title order={4} size="h5">
        {name} on {day}, hour by hour
      </Title>
      <ErrorMessage error={error} title="Could not load the hours" />
      {fetching && !data && <Busy label={`Loading the hours of ${day}…`} />}
      {peak && (
        <Alert color={peak.peakInUse > peak.seats ? 'red' : 'blue'} data-testid="peak-hour">
          Peak: <strong>{peak.peakInUse}</strong> seats in use between {peak.bucketStart.slice(11, 16)} and{' '}
          {String((Number(peak.bucketStart.slice(11, 13)) + 1) % 24).padStart(2, '0')}:00 UTC, {peak.seats} owned
          {peak.peakInUse > peak.seats ? `: ${peak.peakInUse - peak.seats} over` : ''}.
        </Alert>
      )}
      {data && (
        <ConcurrencyChart
          points={points}
          resolution="time"
          height={200}
          summary={`${name} on ${day}: peak seats in use per hour, highest ${peak?.peakInUse ?? 0}.`}
        />
      )}
      {data && (
        <Text size="sm" c="dimmed">
          Times are UTC.
        </Text>
      )}
    </Stack>
  );
}
