import { LabelledChoice } from '../components/LabelledChoice';
import { Alert, Button, Card, Group, Select, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import {
  ACCOUNT_DIRECTORY,
  CONCURRENCY,
  USAGE_REPORT,
  type AccountDirectoryData,
  type ConcurrencyData,
  type UsageDimension,
  type UsageReportData,
  type UsageReportRow,
} from '../api/documents';
import { useAccount } from '../app/AccountLayout';
import { Busy } from '../components/Busy';
import { ConcurrencyChart, preloadChart } from '../components/Chart';
import { DataTable, type Column } from '../components/DataTable';
import { ErrorMessage } from '../components/ErrorMessage';
import { PageTitle } from '../components/PageTitle';
import { addDays, bucketCount, dayOf, endOfDay, formatMinutes, INTERVAL_MS, startOfDay, type IntervalName } from '../lib/time';

// This page draws charts: fetch the chart code along with the data.
preloadChart();

const DIMENSIONS: { value: UsageDimension; label: string }[] = [
  { value: 'PRODUCT', label: 'Product' },
  { value: 'USER', label: 'User' },
  { value: 'GROUP', label: 'Group' },
  { value: 'COUNTRY', label: 'Country' },
  { value: 'MACHINE', label: 'Machine' },
  { value: 'DAY', label: 'Day' },
];
const INTERVALS: { value: IntervalName; label: string }[] = [
  { value: 'TEN_MINUTES', label: '10 minutes' },
  { value: 'HOUR', label: 'Hour' },
  { value: 'DAY', label: 'Day' },
];
const MAX_POINTS = 10_000;

function capAtNextHour(end: string | null): string | null {
  if (!end) return null;
  const nextHour = Math.ceil((Date.now() + 1) / 3_600_000) * 3_600_000;
  return new Date(Math.min(Date.parse(end), nextHour)).toISOString();
}

/** Usage: peak seats in use over time against seats owned, and usage reports by product, user, group, country, machine and day. */
export function UsagePage() {
  const { products } = useAccount();
  const today = dayOf(new Date());
  const [fromDay, setFromDay] = useState(dayOf(addDays(new Date(), -29)));
  const [toDay, setToDay] = useState(today);
  const from = startOfDay(fromDay);
  // Windows end at the next full hour at the latest: the hours to come have no usage yet.
  const to = useMemo(() => capAtNextHour(endOfDay(toDay)), [toDay]);
  const rangeProblem = !from || !to ? 'Enter both dates.' : from >= to ? 'The first day must not be after the last day.' : null;
  return (
    <Stack>
      <PageTitle title="Usage" description="Seats in use against seats owned, and who used what, for the days you choose (UTC)." />
      <Card withBorder>
        <Group align="flex-end" wrap="wrap">
          <TextInput type="date" label="From (first day)" value={fromDay} max={toDay} onChange={(e) => setFromDay(e.currentTarget.value)} />
          <TextInput type="date" label="To (last day)" value={toDay} onChange={(e) => setToDay(e.currentTarget.value)} />
          <Group gap={6}>
            {[7, 30, 90, 365].map((days) => (
              <Button
                key={days}
                size="xs"
                variant="outline"
                onClick={() => {
                  setToDay(today);
                  setFromDay(dayOf(addDays(new Date(), -(days - 1))));
                }}
              >
                Last {days} days
              </Button>
            ))}
          </Group>
        </Group>
        {rangeProblem && (
          <Text c="red.9" size="sm" mt="xs" role="alert">
            {rangeProblem}
          </Text>
        )}
      </Card>
      {!rangeProblem && from && to && (
        <>
          {products.length > 0 ? <PeakSection from={from} to={to} fromDay={fromDay} toDay={toDay} /> : <Text>This account has no entitlements yet.</Text>}
          <ReportSection from={from} to={to} fromDay={fromDay} toDay={toDay} />
        </>
      )}
    </Stack>
  );
}

function PeakSection({ from, to, fromDay, toDay }: { from: string; to: string; fromDay: string; toDay: string }) {
  const { accountId, products, productName } = useAccount();
  const [productId, setProductId] = useState(products[0].productId);
  const [interval, setIntervalName] = useState<IntervalName>(Date.parse(to) - Date.parse(from) > 45 * 86_400_000 ? 'DAY' : 'HOUR');
  const points = bucketCount(from, to, INTERVAL_MS[interval]);
  const tooMany = points > MAX_POINTS;
  const [{ data, error, fetching }] = useQuery<ConcurrencyData>({
    query: CONCURRENCY,
    variables: { accountId, productId, from, to, interval },
    pause: tooMany,
  });
  const series = data?.concurrency ?? [];
  const peak = series.reduce((max, p) => Math.max(max, p.peakInUse), 0);
  const owned = series.reduce((max, p) => Math.max(max, p.seats), 0);
  return (
    <Card withBorder component="section" aria-labelledby="peak-title">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={3} size="h4" id="peak-title">
          Peak seats in use
        </Title>
        <Group gap="sm" wrap="wrap" align="flex-end">
          <Select
            label="Product"
            data={products.map((p) => ({ value: p.productId, label: p.productName }))}
            value={productId}
            onChange={(value) => value && setProductId(value)}
            allowDeselect={false}
            w={200}
          />
          <LabelledChoice label="Interval" data={INTERVALS} value={interval} onChange={setIntervalName} />
        </Group>
      </Group>
      {tooMany ? (
        <Alert color="yellow" role="status">
          {points.toLocaleString('en')} points of {INTERVALS.find((i) => i.value === interval)?.label.toLowerCase()} are too many (at most{' '}
          {MAX_POINTS.toLocaleString('en')}): choose a longer interval or fewer days.
        </Alert>
      ) : (
        <>
          <ErrorMessage error={error} title="Could not load peak seats in use" />
          {fetching && !data && <Busy label="Loading peak seats in use…" />}
          {data && (
            <>
              <Text size="sm" mb="xs">
                Highest: <strong>{peak}</strong> seats in use, {owned} owned{peak > owned ? ` (${peak - owned} over: term license usage)` : ''}.
              </Text>
              <ConcurrencyChart
                csvName={['peak-seats', productId, interval, fromDay, toDay]}
                points={series}
                resolution={interval === 'DAY' ? 'day' : 'time'}
                summary={`${productName(productId)}: peak seats in use per ${INTERVALS.find((i) => i.value === interval)?.label.toLowerCase()} from ${fromDay} to ${toDay}; highest ${peak}, ${owned} owned.`}
              />
            </>
          )}
        </>
      )}
    </Card>
  );
}

function ReportSection({ from, to, fromDay, toDay }: { from: string; to: string; fromDay: string; toDay: string }) {
  const { products } = useAccount();
  const [dimension, setDimension] = useState<UsageDimension>('PRODUCT');
  const [productId, setProductId] = useState<string | null>(null);
  return (
    <Card withBorder component="section" aria-labelledby="report-title">
      <Group justify="space-between" mb="sm" wrap="wrap" align="flex-end">
        <Title order={3} size="h4" id="report-title">
          Usage report
        </Title>
        <Select
          label="Products"
          data={[{ value: '', label: 'All products' }, ...products.map((p) => ({ value: p.productId, label: p.productName }))]}
          value={productId ?? ''}
          onChange={(value) => setProductId(value ? value : null)}
          allowDeselect={false}
          w={200}
        />
      </Group>
      <Tabs value={dimension} onChange={(v) => v && setDimension(v as UsageDimension)} keepMounted={false}>
        <Tabs.List mb="sm">
          {DIMENSIONS.map((d) => (
            <Tabs.Tab key={d.value} value={d.value}>
              By {d.label.toLowerCase()}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {DIMENSIONS.map((d) => (
          <Tabs.Panel key={d.value} value={d.value}>
            <Report dimension={d.value} label={d.label} from={from} to={to} fromDay={fromDay} toDay={toDay} productId={productId} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Card>
  );
}

function Report({
  dimension,
  label,
  from,
  to,
  fromDay,
  toDay,
  productId,
}: {
  dimension: UsageDimension;
  label: string;
  from: string;
  to: string;
  fromDay: string;
  toDay: string;
  productId: string | null;
}) {
  const { accountId, productName } = useAccount();
  const [{ data, error, fetching }] = useQuery<UsageReportData>({
    query: USAGE_REPORT,
    variables: { accountId, from, to, groupBy: [dimension], productId },
  });
  // Users and groups are reported by id: name them from the directory.
  const needsNames = dimension === 'USER' || dimension === 'GROUP';
  const [{ data: directory }] = useQuery<AccountDirectoryData>({ query: ACCOUNT_DIRECTORY, variables: { id: accountId }, pause: !needsNames });
  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const u of directory?.account?.users ?? []) map.set(u.id, `${u.displayName} <${u.email}>`);
    for (const g of directory?.account?.groups ?? []) map.set(g.id, g.name);
    return map;
  }, [directory]);
  const columns = useMemo<Column<UsageReportRow>[]>(() => {
    const key: Column<UsageReportRow>[] = {
      PRODUCT: [
        { id: 'productId', header: 'Product id', value: (r: UsageReportRow) => r.productId, visible: false },
        { id: 'productName', header: 'Product', value: (r: UsageReportRow) => productName(r.productId) },
      ],
      USER: [
        { id: 'userId', header: 'User id', value: (r: UsageReportRow) => r.userId, visible: false },
        { id: 'userName', header: 'User', value: (r: UsageReportRow) => names.get(r.userId ?? '') ?? r.userId },
      ],
      GROUP: [
        { id: 'groupId', header: 'Group id', value: (r: UsageReportRow) => r.groupId, visible: false },
        { id: 'groupName', header: 'Group', value: (r: UsageReportRow) => names.get(r.groupId ?? '') ?? r.groupId },
      ],
      COUNTRY: [{ id: 'country', header: 'Country', value: (r: UsageReportRow) => r.country }],
      MACHINE: [{ id: 'machineId', header: 'Machine', value: (r: UsageReportRow) => r.machineId }],
      DAY: [{ id: 'day', header: 'Day (UTC)', value: (r: UsageReportRow) => r.day }],
    }[dimension];
    return [
      ...key,
      { id: 'sessions', header: 'Sessions', value: (r) => r.sessions, numeric: true },
      { id: 'usageMinutes', header: 'Usage', value: (r) => r.usageMinutes, cell: (r) => formatMinutes(r.usageMinutes), numeric: true },
      { id: 'distinctUsers', header: 'Users', value: (r) => r.distinctUsers, numeric: true },
      { id: 'peakConcurrent', header: 'Peak in use', value: (r) => r.peakConcurrent, numeric: true },
    ];
  }, [dimension, names, productName]);
  if (error) return <ErrorMessage error={error} title="Could not load the usage report" />;
  if (fetching && !data) return <Busy label={`Loading usage by ${label.toLowerCase()}…`} />;
  const rows = data?.usageReport ?? [];
  return (
    <DataTable
      testId={`usage-report-${dimension}`}
      caption={`Usage by ${label.toLowerCase()} from ${fromDay} to ${toDay}`}
      data={rows}
      columns={columns}
      rowKey={(r) => [r.productId, r.userId, r.groupId, r.country, r.machineId, r.day].join('|')}
      csvName={['usage-by', label, productId ?? 'all-products', fromDay, toDay]}
      initialSort={dimension === 'DAY' ? { id: 'day' } : { id: 'sessions', desc: true }}
      empty={`No sessions from ${fromDay} to ${toDay}${productId ? ' for this product' : ''}.`}
    />
  );
}
