import { Badge, Card, Group, List, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import {
  ALERT_RAISED,
  ALERTS,
  CONCURRENCY,
  OVERVIEW_FIGURES,
  USAGE_EVENTS,
  type AlertRaisedData,
  type AlertsData,
  type ConcurrencyData,
  type OverviewFiguresData,
  type UsageEvent,
  type UsageEventsData,
} from '../api/documents';
import { overviewFiguresVariables, overviewWindow, RECENT_ALERT_DAYS, weekConcurrencyVariables } from '../api/prefetch';
import { useSeatsInUse } from '../api/seats-in-use';
import { useAccount, type Product } from '../app/AccountLayout';
import { ConcurrencyChart, preloadChart } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { ErrorMessage } from '../components/ErrorMessage';
import { PageTitle } from '../components/PageTitle';
import { quarterFigures, type QuarterFigures } from '../lib/term-usage';
import { formatInstant } from '../lib/time';

// This page draws charts: fetch the chart code along with the data.
preloadChart();

const EVENT_WORDS: Record<UsageEvent['type'], string> = { STARTED: 'started', ENDED: 'ended', TIMED_OUT: 'timed out', DENIED: 'was denied' };

/**
 * Overview: per product, seats owned and in use now (live over graphql-ws: each usage
 * event refreshes the figures), term license usage so far this quarter, the last week's
 * peaks, and recent alerts.
 */
export function OverviewPage() {
  const { accountId, products, productName } = useAccount();
  const seats = useSeatsInUse(
    accountId,
    products.map((p) => p.productId),
  );
  const refetchSeats = seats.refetch;
  // Windows end at the next full hour, so the variables (and urql's cache key) stay stable while the page is open.
  const [span] = useState(() => overviewWindow(new Date()));
  const quarter = span.quarter;
  const [{ data, error }, refetchFigures] = useQuery<OverviewFiguresData>({
    query: OVERVIEW_FIGURES,
    variables: overviewFiguresVariables(accountId, span),
  });
  const recent = useRecentAlerts(accountId, span.alertsFrom);
  const refetchAlerts = recent.refetch;
  const [liveTick, setLiveTick] = useState(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const refresh = useCallback(() => {
    clearTimeout(pending.current);
    pending.current = setTimeout(() => {
      refetchSeats();
      refetchFigures({ requestPolicy: 'network-only' });
      refetchAlerts();
      setLiveTick((t) => t + 1);
    }, 150);
  }, [refetchSeats, refetchFigures, refetchAlerts]);
  useEffect(() => () => clearTimeout(pending.current), []);

  // Live: every usage event (published once the read models hold it) refreshes the figures.
  const [{ data: live, error: liveError }] = useSubscription<UsageEventsData, UsageEvent[]>(
    { query: USAGE_EVENTS, variables: { accountId } },
    (previous, event) => [event.usageEvents, ...(previous ?? [])].slice(0, 8),
  );
  const activity = live ?? [];
  const latest = activity[0];
  useEffect(() => {
    if (latest && latest.type !== 'DENIED') refresh();
  }, [latest, refresh]);
  const [{ data: raised }] = useSubscription<AlertRaisedData>({ query: ALERT_RAISED, variables: { accountId } });
  useEffect(() => {
    if (raised) refresh();
  }, [raised, refresh]);
  // Check-outs change seats in use without a usage event: refresh now and then as well.
  useEffect(() => {
    const timer = setInterval(refresh, 60_000);
    return () => clearInterval(timer);
  }, [refresh]);

  const term = data?.termLicenseUsage ?? [];
  const alerts = useMemo(() => [...(recent.alerts ?? [])].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt)).slice(0, 10), [recent.alerts]);
  const ready = !!data && seats.counts !== null && recent.alerts !== null;

  return (
    <Stack data-testid="overview" data-figures={ready ? 'ready' : 'loading'}>
      <PageTitle title="Overview" description={`Seats owned and in use now, and term license usage in ${quarter.label} (UTC).`} />
      <ErrorMessage error={error} title="Could not load the quarter’s figures" />
      <ErrorMessage error={seats.error} title="Could not load the seats in use" />
      <ErrorMessage error={liveError} title="Live figures are not available" />
      {products.length === 0 && <Text>This account has no entitlements yet.</Text>}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {products.map((product) => (
          <ProductCard
            key={product.productId}
            accountId={accountId}
            product={product}
            inUse={seats.counts?.get(product.productId) ?? null}
            figures={data ? quarterFigures(term, product.productId) : null}
            span={span}
            quarterLabel={quarter.label}
            liveTick={liveTick}
          />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Card withBorder>
          <Title order={3} size="h4" mb="xs">
            Recent alerts {recent.days === 1 ? '(last 24 hours)' : `(last ${recent.days} days)`}
          </Title>
          <ErrorMessage error={recent.error} title="Could not load the alerts" />
          {recent.alerts === null ? (
            <Skeleton h={80} role="status" aria-label="Loading alerts" />
          ) : (
            <DataTable
              caption="Recent alerts"
              csvName={['recent-alerts']}
              data={alerts}
              rowKey={(a) => a.id}
              pageSize={10}
              empty="No alerts in the last 30 days."
              columns={[
                { id: 'raisedAt', header: 'Raised (UTC)', value: (a) => a.raisedAt, cell: (a) => formatInstant(a.raisedAt) },
                { id: 'productId', header: 'Product', value: (a) => productName(a.productId) },
                { id: 'seatsInUse', header: 'In use', value: (a) => a.seatsInUse, numeric: true },
                { id: 'thresholdSeats', header: 'Threshold', value: (a) => a.thresholdSeats, numeric: true },
                { id: 'seats', header: 'Owned', value: (a) => a.seats, numeric: true },
              ]}
            />
          )}
        </Card>
        <Card withBorder>
          <Title order={3} size="h4" mb="xs">
            Live activity
          </Title>
          {activity.length === 0 ? (
            <Text size="sm" c="dimmed">
              Sessions starting and ending appear here as they happen.
            </Text>
          ) : (
            <List size="sm" spacing={2} data-testid="live-activity">
              {activity.map((e) => (
                <List.Item key={`${e.sessionId}-${e.type}`}>
                  {formatInstant(e.at).slice(11)} · {productName(e.productId)}: a session of user {e.userId} on {e.machineId} {EVENT_WORDS[e.type]}
                  {e.denyReason ? ` (${e.denyReason})` : ''}
                  {e.termLicenseUsage ? ' — term license usage' : ''}
                </List.Item>
              ))}
            </List>
          )}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

function ProductCard({
  accountId,
  product,
  inUse,
  figures,
  span,
  quarterLabel,
  liveTick,
}: {
  accountId: string;
  product: Product;
  inUse: number | null;
  figures: QuarterFigures | null;
  span: ReturnType<typeof overviewWindow>;
  quarterLabel: string;
  liveTick: number;
}) {
  const [{ data, error }, reexecute] = useQuery<ConcurrencyData>({
    query: CONCURRENCY,
    variables: weekConcurrencyVariables(accountId, product.productId, span),
  });
  useEffect(() => {
    if (liveTick > 0) reexecute({ requestPolicy: 'network-only' });
  }, [liveTick, reexecute]);
  const over = inUse !== null && inUse > product.seats;
  const weekPeak = data ? Math.max(0, ...data.concurrency.map((p) => p.peakInUse)) : 0;
  return (
    <Card withBorder data-testid="product-card" data-product={product.productId}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={3} size="h4">
          {product.productName}
        </Title>
        {over ? (
          <Badge color="red" variant="light">
            Term license usage now
          </Badge>
        ) : (
          inUse !== null && (
            <Badge color="gray" variant="light">
              {product.seats - inUse} free
            </Badge>
          )
        )}
      </Group>
      <SimpleGrid cols={3} spacing="xs" mb="sm">
        <Figure label="Seats in use now" value={inUse} testId="seats-in-use" />
        <Figure label="Seats owned" value={product.seats} testId="seats-owned" />
        <Figure label={`Peak in ${quarterLabel}`} value={figures ? figures.peakInUse : null} testId="quarter-peak" />
      </SimpleGrid>
      <Text size="sm" mb="xs" data-testid="quarter-overage">
        {figures === null
          ? 'Loading term license usage…'
          : figures.overageDays === 0
            ? `No term license usage in ${quarterLabel} so far.`
            : `Term license usage on ${figures.overageDays} ${figures.overageDays === 1 ? 'day' : 'days'} in ${quarterLabel}, up to ${figures.maxOverage} ${figures.maxOverage === 1 ? 'seat' : 'seats'} over.`}
      </Text>
      <ErrorMessage error={error} title="Could not load the chart" />
      {data ? (
        <ConcurrencyChart
          csvName={['peak-seats', product.productId, 'last-7-days']}
          points={data.concurrency}
          resolution="time"
          height={180}
          summary={`${product.productName}: peak seats in use per hour over the last 7 days, at most ${weekPeak} of ${product.seats} owned.`}
        />
      ) : (
        !error && <Skeleton h={180} role="status" aria-label="Loading the chart" />
      )}
    </Card>
  );
}

function Figure({ label, value, testId }: { label: string; value: number | null; testId: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      {value === null ? (
        <Skeleton h={28} w={40} aria-hidden />
      ) : (
        <Text fz={26} fw={700} lh={1.1} data-testid={testId}>
          {value}
        </Text>
      )}
    </Stack>
  );
}

/** The 10 most recent alerts, reading only as far back as needed (an account can raise thousands a month): 1 day, else 7, else 30. */
function useRecentAlerts(accountId: string, from: readonly string[]) {
  const [day, refetchDay] = useQuery<AlertsData>({ query: ALERTS, variables: { accountId, from: from[0] } });
  const needWeek = !!day.data && day.data.alerts.length < 10;
  const [week, refetchWeek] = useQuery<AlertsData>({ query: ALERTS, variables: { accountId, from: from[1] }, pause: !needWeek });
  const needMonth = needWeek && !!week.data && week.data.alerts.length < 10;
  const [month, refetchMonth] = useQuery<AlertsData>({ query: ALERTS, variables: { accountId, from: from[2] }, pause: !needMonth });
  const active = needMonth ? month : needWeek ? week : day;
  const refetchActive = needMonth ? refetchMonth : needWeek ? refetchWeek : refetchDay;
  const refetch = useCallback(() => refetchActive({ requestPolicy: 'network-only' }), [refetchActive]);
  return {
    alerts: active.data?.alerts ?? null,
    days: RECENT_ALERT_DAYS[needMonth ? 2 : needWeek ? 1 : 0],
    error: day.error ?? week.error ?? month.error,
    refetch,
  };
}
