import { Badge, Button, Card, Group, Select, Stack, Tabs, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { CHECK_IN, CHECKOUTS, END_USAGE, SEAT_HOLDERS, type Checkout, type CheckoutsData, type SeatHolder, type SeatHoldersData } from '../api/documents';
import { useDirectory } from '../api/use-directory';
import { useAccount } from '../app/AccountLayout';
import { Busy } from '../components/Busy';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DataTable } from '../components/DataTable';
import { ErrorMessage } from '../components/ErrorMessage';
import { PageTitle } from '../components/PageTitle';
import { formatInstant } from '../lib/time';

type Pending = { kind: 'release'; holder: SeatHolder } | { kind: 'checkin'; checkoutId: string; userId: string } | null;

/** Seats: who holds each seat of a product now (sessions and check-outs), release and check-in for administrators; active and past check-outs. */
export function SeatsPage() {
  const { accountId, products, canManage } = useAccount();
  const [productId, setProductId] = useState<string | null>(products[0]?.productId ?? null);
  const { userName } = useDirectory();
  const [{ data, error, fetching }, refetchHolders] = useQuery<SeatHoldersData>({
    query: SEAT_HOLDERS,
    variables: { accountId, productId },
    pause: !productId,
  });
  const [checkouts, refetchCheckouts] = useQuery<CheckoutsData>({ query: CHECKOUTS, variables: { accountId, productId }, pause: !productId });
  const [, endUsage] = useMutation(END_USAGE);
  const [, checkIn] = useMutation(CHECK_IN);
  const [pending, setPending] = useState<Pending>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const product = products.find((p) => p.productId === productId);
  const refreshAll = () => {
    refetchHolders({ requestPolicy: 'network-only' });
    refetchCheckouts({ requestPolicy: 'network-only' });
  };

  const confirm = async () => {
    if (!pending) return;
    setFailure(null);
    setDone(null);
    if (pending.kind === 'release') {
      const { holder } = pending;
      const steps = [
        ...holder.sessionIds.map((id) => ({ kind: 'session' as const, id })),
        ...(holder.checkoutId ? [{ kind: 'checkout' as const, id: holder.checkoutId }] : []),
      ];
      for (const [index, step] of steps.entries()) {
        setProgress(`Releasing ${index + 1} of ${steps.length}…`);
        const result = step.kind === 'session' ? await endUsage({ input: { sessionId: step.id } }) : await checkIn({ input: { checkoutId: step.id } });
        // A session that ended meanwhile is released already: not a failure.
        const code = result.error?.graphQLErrors[0]?.extensions?.code;
        if (result.error && code !== 'SESSION_NOT_ACTIVE' && code !== 'CHECKOUT_NOT_ACTIVE') {
          setFailure(result.error);
          break;
        }
      }
      setDone(`Released the seat of ${userName(holder.userId)}.`);
    } else {
      setProgress('Checking in…');
      const result = await checkIn({ input: { checkoutId: pending.checkoutId } });
      if (result.error) setFailure(result.error);
      else setDone(`Checked in the license of ${userName(pending.userId)}.`);
    }
    setProgress(null);
    setPending(null);
    refreshAll();
  };

  const holders = data?.seatHolders ?? [];
  const all = checkouts.data?.checkouts ?? [];
  const active = all.filter((c) => c.status === 'ACTIVE');
  const past = all.filter((c) => c.status !== 'ACTIVE').sort((a, b) => (b.checkedInAt ?? b.expiresAt).localeCompare(a.checkedInAt ?? a.expiresAt));

  const checkoutColumns = (withAction: boolean) => [
    { id: 'userId', header: 'User id', value: (c: Checkout) => c.userId, visible: false },
    { id: 'userName', header: 'User', value: (c: Checkout) => userName(c.userId) },
    { id: 'machineId', header: 'Machine', value: (c: Checkout) => c.machineId },
    { id: 'checkedOutAt', header: 'Checked out (UTC)', value: (c: Checkout) => c.checkedOutAt, cell: (c: Checkout) => formatInstant(c.checkedOutAt) },
    { id: 'expiresAt', header: 'Expires (UTC)', value: (c: Checkout) => c.expiresAt, cell: (c: Checkout) => formatInstant(c.expiresAt) },
    { id: 'checkedInAt', header: 'Checked in (UTC)', value: (c: Checkout) => c.checkedInAt ?? '', cell: (c: Checkout) => formatInstant(c.checkedInAt) },
    { id: 'status', header: 'Status', value: (c: Checkout) => c.status },
    ...(withAction && canManage
      ? [
          {
            id: 'action',
            header: 'Action',
            value: () => '',
            csv: false,
            sortable: false,
            cell: (c: Checkout) => (
              <Button size="compact-xs" variant="outline" color="red" onClick={() => setPending({ kind: 'checkin', checkoutId: c.id, userId: c.userId })}>
                Check in
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Stack>
      <PageTitle title="Seats" description="Who holds a seat of each product now, and the product’s check-outs." />
      {products.length === 0 ? (
        <Text>This account has no entitlements yet.</Text>
      ) : (
        <Group align="flex-end">
          <Select
            label="Product"
            data={products.map((p) => ({ value: p.productId, label: p.productName }))}
            value={productId}
            onChange={setProductId}
            allowDeselect={false}
            w={220}
          />
          {product && data && (
            <Text size="sm" pb={6}>
              <strong data-testid="seats-summary">
                {data.seatHolders.length} of {product.seats}
              </strong>{' '}
              seats in use
            </Text>
          )}
        </Group>
      )}
      {done && (
        <Text role="status" c="green.9" data-testid="seats-done">
          {done}
        </Text>
      )}
      <ErrorMessage error={failure} title="The change did not go through" />
      {progress && <Busy label={progress} />}
      {productId && (
        <Card withBorder component="section" aria-labelledby="holders-title">
          <Title order={3} size="h4" id="holders-title" mb="xs">
            Seat holders now
          </Title>
          <ErrorMessage error={error} title="Could not load the seat holders" />
          {fetching && !data ? (
            <Busy label="Loading the seat holders…" />
          ) : (
            <DataTable
              testId="seat-holders"
              caption="Seat holders now"
              data={holders}
              rowKey={(h) => h.userId}
              csvName={['seat-holders', productId]}
              initialSort={{ id: 'since' }}
              empty="Nobody holds a seat of this product now."
              columns={[
                { id: 'userId', header: 'User id', value: (h) => h.userId, visible: false },
                { id: 'userName', header: 'User', value: (h) => userName(h.userId) },
                { id: 'since', header: 'Since (UTC)', value: (h) => h.since, cell: (h) => formatInstant(h.since) },
                { id: 'sessions', header: 'Sessions', value: (h) => h.sessionIds.length, numeric: true },
                {
                  id: 'checkoutId',
                  header: 'Check-out',
                  value: (h) => h.checkoutId ?? '',
                  cell: (h) => (h.checkoutId ? <Badge variant="light">Checked out</Badge> : '—'),
                },
                ...(canManage
                  ? [
                      {
                        id: 'action',
                        header: 'Action',
                        value: () => '',
                        csv: false,
                        sortable: false,
                        cell: (h: SeatHolder) => (
                          <Button size="compact-xs" color="red" variant="outline" onClick={() => setPending({ kind: 'release', holder: h })}>
                            Release<VisuallyHidden component="span"> the seat of {userName(h.userId)}</VisuallyHidden>
                          </Button>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          )}
        </Card>
      )}
      {productId && (
        <Card withBorder component="section" aria-labelledby="checkouts-title">
          <Title order={3} size="h4" id="checkouts-title" mb="xs">
            Check-outs
          </Title>
          <ErrorMessage error={checkouts.error} title="Could not load the check-outs" />
          {checkouts.fetching && !checkouts.data ? (
            <Busy label="Loading the check-outs…" />
          ) : (
            <Tabs defaultValue="active">
              <Tabs.List mb="sm">
                <Tabs.Tab value="active">Active ({active.length})</Tabs.Tab>
                <Tabs.Tab value="past">Past ({past.length})</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="active">
                <DataTable
                  caption="Active check-outs"
                  data={active}
                  rowKey={(c) => c.id}
                  csvName={['checkouts-active', productId]}
                  initialSort={{ id: 'expiresAt' }}
                  empty="No active check-outs."
                  columns={checkoutColumns(true)}
                />
              </Tabs.Panel>
              <Tabs.Panel value="past">
                <DataTable
                  caption="Past check-outs"
                  data={past}
                  rowKey={(c) => c.id}
                  csvName={['checkouts-past', productId]}
                  empty="No past check-outs."
                  columns={checkoutColumns(false)}
                />
              </Tabs.Panel>
            </Tabs>
          )}
        </Card>
      )}
      <ConfirmDialog
        opened={pending !== null}
        onClose={() => !progress && setPending(null)}
        busy={progress !== null}
        title={pending?.kind === 'checkin' ? 'Check in this license?' : 'Release this seat?'}
        confirmLabel={pending?.kind === 'checkin' ? 'Check in' : 'Release seat'}
        onConfirm={() => void confirm()}
      >
        {pending?.kind === 'release'
          ? `${userName(pending.holder.userId)} holds the seat with ${pending.holder.sessionIds.length} session(s)${pending.holder.checkoutId ? ' and a check-out' : ''}. Releasing ends them; the product stops working for them until they start again.`
          : pending?.kind === 'checkin'
            ? `The offline license of ${userName(pending.userId)} ends now and its seat is free.`
            : ''}
      </ConfirmDialog>
    </Stack>
  );
}
