import { LabelledChoice } from '../components/LabelledChoice';
import { Badge, Button, Checkbox, Group, Modal, MultiSelect, Select, Stack, Tabs, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import {
  ADD_GROUP_MEMBER,
  CREATE_GROUP,
  DEACTIVATE_USER,
  GRANT_ROLE,
  REGISTER_USER,
  REMOVE_GROUP_MEMBER,
  REVOKE_ROLE,
  SET_GROUP_PRODUCTS,
  type Group as GroupDoc,
  type User,
} from '../api/documents';
import { useDirectory } from '../api/use-directory';
import { useAccount } from '../app/AccountLayout';
import { ROLE_LABELS, ROLES, type Role } from '../app/viewer';
import { Busy } from '../components/Busy';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DataTable } from '../components/DataTable';
import { ErrorMessage } from '../components/ErrorMessage';
import { PageTitle } from '../components/PageTitle';
import { formatInstant } from '../lib/time';
import { DomainsTab } from './users/DomainsTab';
import { ImportTab } from './users/ImportTab';
import { RequestsTab } from './users/RequestsTab';

const TABS = ['users', 'groups', 'import', 'requests', 'domains'] as const;
type Tab = (typeof TABS)[number];

/**
 * Users and groups: search and page through users, register one, roles, deactivate;
 * groups and their members; and (onboarding extension) bulk CSV import with a dry-run
 * preview, registration requests, and the account's email domains. The tab is in the
 * address (`?tab=requests`), so each can be linked to.
 */
export function UsersPage() {
  const { canManage } = useAccount();
  const directory = useDirectory();
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab') as Tab | null;
  // The import changes things: only for those who may register users.
  const tab: Tab = asked && TABS.includes(asked) && (asked !== 'import' || canManage) ? asked : 'users';
  return (
    <Stack>
      <PageTitle
        title="Users and groups"
        description="The account’s registered users, their roles, and the groups that restrict which products their members may use; who may ask to join."
      />
      <ErrorMessage error={directory.error} title="Could not load users and groups" />
      {directory.fetching && !directory.account && <Busy label="Loading users and groups…" />}
      {directory.account && (
        <Tabs value={tab} onChange={(value) => setParams(value && value !== 'users' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="users">Users ({directory.account.users.length})</Tabs.Tab>
            <Tabs.Tab value="groups">Groups ({directory.account.groups.length})</Tabs.Tab>
            {canManage && <Tabs.Tab value="import">Import CSV</Tabs.Tab>}
            <Tabs.Tab value="requests">Registration requests</Tabs.Tab>
            <Tabs.Tab value="domains">Domains</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="users">
            <UsersTab users={directory.account.users} refetch={directory.refetch} />
          </Tabs.Panel>
          <Tabs.Panel value="groups">
            <GroupsTab groups={directory.account.groups} users={directory.account.users} refetch={directory.refetch} />
          </Tabs.Panel>
          {canManage && (
            <Tabs.Panel value="import">
              <ImportTab groups={directory.account.groups} onRegistered={directory.refetch} />
            </Tabs.Panel>
          )}
          <Tabs.Panel value="requests">
            <RequestsTab onDecided={directory.refetch} />
          </Tabs.Panel>
          <Tabs.Panel value="domains">
            <DomainsTab />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}

export function matchesSearch(user: Pick<User, 'displayName' | 'email' | 'country'>, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const text = `${user.displayName} ${user.email} ${user.country}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

function UsersTab({ users, refetch }: { users: User[]; refetch: () => void }) {
  const { canManage } = useAccount();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<'ALL' | 'ACTIVE' | 'DEACTIVATED'>('ACTIVE');
  const [registering, setRegistering] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [deactivating, setDeactivating] = useState<User | null>(null);
  const [, deactivate] = useMutation(DEACTIVATE_USER);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const shown = useMemo(() => users.filter((u) => (status === 'ALL' || u.status === status) && matchesSearch(u, search)), [users, status, search]);

  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Search users"
            placeholder="Name, email or country"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={260}
          />
          <LabelledChoice
            label="Status"
            value={status}
            onChange={setStatus}
            data={[
              { value: 'ACTIVE', label: 'Active' },
              { value: 'DEACTIVATED', label: 'Deactivated' },
              { value: 'ALL', label: 'All' },
            ]}
          />
        </Group>
        {canManage && <Button onClick={() => setRegistering(true)}>Register a user</Button>}
      </Group>
      {done && (
        <Text role="status" c="green.9">
          {done}
        </Text>
      )}
      <ErrorMessage error={failure} title="The change did not go through" />
      <DataTable
        testId="users-table"
        caption="Users"
        data={shown}
        rowKey={(u) => u.id}
        csvName={['users', status]}
        initialSort={{ id: 'displayName' }}
        empty={search ? 'No user matches the search.' : 'No users.'}
        columns={[
          { id: 'displayName', header: 'Name', value: (u) => u.displayName },
          { id: 'email', header: 'Email', value: (u) => u.email },
          { id: 'country', header: 'Country', value: (u) => u.country },
          {
            id: 'status',
            header: 'Status',
            value: (u) => u.status,
            cell: (u) => (
              <Badge color={u.status === 'ACTIVE' ? 'green' : 'gray'} variant="light">
                {u.status === 'ACTIVE' ? 'Active' : 'Deactivated'}
              </Badge>
            ),
          },
          { id: 'roles', header: 'Roles', value: (u) => u.roles.map((r) => ROLE_LABELS[r]).join('; ') },
          { id: 'groups', header: 'Groups', value: (u) => u.groups.map((g) => g.name).join('; ') },
          { id: 'registeredAt', header: 'Registered (UTC)', value: (u) => u.registeredAt, cell: (u) => formatInstant(u.registeredAt) },
          { id: 'id', header: 'User id', value: (u) => u.id, visible: false },
          ...(canManage
            ? [
                {
                  id: 'actions',
                  header: 'Actions',
                  value: () => '',
                  csv: false,
                  sortable: false,
                  cell: (u: User) =>
                    u.status === 'ACTIVE' ? (
                      <Group gap={4} wrap="nowrap">
                        <Button size="compact-xs" variant="outline" onClick={() => setEditing(u)} aria-label={`Roles of ${u.displayName}`}>
                          Roles
                        </Button>
                        <Button size="compact-xs" variant="outline" color="red" onClick={() => setDeactivating(u)} aria-label={`Deactivate ${u.displayName}`}>
                          Deactivate
                        </Button>
                      </Group>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <RegisterUserModal
        opened={registering}
        onClose={() => setRegistering(false)}
        onRegistered={(email) => {
          setRegistering(false);
          setDone(`Registered ${email}.`);
          refetch();
        }}
      />
      {editing && (
        <RolesModal
          user={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setDone(`Saved the roles of ${editing.displayName}.`);
            setEditing(null);
            refetch();
          }}
        />
      )}
      <ConfirmDialog
        opened={deactivating !== null}
        title="Deactivate this user?"
        confirmLabel="Deactivate"
        busy={busy}
        onClose={() => setDeactivating(null)}
        onConfirm={() => {
          if (!deactivating) return;
          setBusy(true);
          setFailure(null);
          void deactivate({ input: { userId: deactivating.id } }).then((result) => {
            setBusy(false);
            if (result.error) setFailure(result.error);
            else setDone(`Deactivated ${deactivating.displayName}.`);
            setDeactivating(null);
            refetch();
          });
        }}
      >
        {deactivating ? `${deactivating.displayName} (${deactivating.email}) will no longer be able to use any product of the account.` : ''}
      </ConfirmDialog>
    </Stack>
  );
}

function RegisterUserModal({ opened, onClose, onRegistered }: { opened: boolean; onClose: () => void; onRegistered: (email: string) => void }) {
  const { accountId, account } = useAccount();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [country, setCountry] = useState('');
  const [{ fetching }, register] = useMutation(REGISTER_USER);
  const [shownError, setShownError] = useState<unknown>(null);
  const close = () => {
    setShownError(null);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title="Register a user" centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setShownError(null);
          void register({
            input: { accountId, email: email.trim(), displayName: displayName.trim(), country: country.trim().toUpperCase() || undefined },
          }).then((result) => {
            if (result.error) {
              setShownError(result.error);
              return;
            }
            const registered = email.trim();
            setEmail('');
            setDisplayName('');
            setCountry('');
            onRegistered(registered);
          });
        }}
      >
        <Stack>
          <TextInput label="Email" type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} autoComplete="off" data-autofocus />
          <TextInput label="Display name" required value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} autoComplete="off" />
          <TextInput
            label="Country"
            description={`ISO code of two letters; empty: the account’s country (${account.entitlementCountry}).`}
            value={country}
            maxLength={2}
            onChange={(e) => setCountry(e.currentTarget.value)}
            w={200}
          />
          <ErrorMessage error={shownError} title="Could not register the user" />
          <Group justify="flex-end">
            <Button variant="outline" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={fetching}>
              Register
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RolesModal({ user, onClose, onSaved }: { user: User; onClose: () => void; onSaved: () => void }) {
  const { grantable } = useAccount();
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [, grant] = useMutation(GRANT_ROLE);
  const [, revoke] = useMutation(REVOKE_ROLE);
  const [progress, setProgress] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const save = async () => {
    const changes = ROLES.filter((r) => roles.includes(r) !== user.roles.includes(r));
    setFailure(null);
    for (const [index, role] of changes.entries()) {
      setProgress(`Saving ${index + 1} of ${changes.length}…`);
      const result = roles.includes(role) ? await grant({ input: { userId: user.id, role } }) : await revoke({ input: { userId: user.id, role } });
      if (result.error) {
        setFailure(result.error);
        setProgress(null);
        return;
      }
    }
    setProgress(null);
    onSaved();
  };
  return (
    <Modal opened onClose={onClose} title={`Roles of ${user.displayName}`} centered>
      <Stack>
        <Checkbox.Group
          value={roles}
          onChange={(v) => setRoles(v as Role[])}
          label="Roles"
          description="Only an account administrator can grant or revoke the two administrator roles."
        >
          <Stack gap="xs" mt="xs">
            {ROLES.map((r) => (
              <Checkbox key={r} value={r} label={ROLE_LABELS[r]} disabled={!grantable.includes(r)} />
            ))}
          </Stack>
        </Checkbox.Group>
        {progress && <Busy label={progress} />}
        <ErrorMessage error={failure} title="Could not change the roles" />
        <Group justify="flex-end">
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void save()} loading={progress !== null}>
            Save roles
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function GroupsTab({ groups, users, refetch }: { groups: GroupDoc[]; users: User[]; refetch: () => void }) {
  const { canManage, productName } = useAccount();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const editingGroup = groups.find((g) => g.id === editing);
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm">Members of one or more groups may use only their groups’ products; users in no group may use every entitled product.</Text>
        {canManage && <Button onClick={() => setCreating(true)}>Create a group</Button>}
      </Group>
      <DataTable
        testId="groups-table"
        caption="Groups"
        data={groups}
        rowKey={(g) => g.id}
        csvName={['groups']}
        initialSort={{ id: 'name' }}
        empty="No groups."
        columns={[
          { id: 'name', header: 'Group', value: (g) => g.name },
          { id: 'productIds', header: 'Products', value: (g) => g.productIds.map(productName).join('; ') },
          { id: 'members', header: 'Members', value: (g) => g.members.length, numeric: true },
          { id: 'id', header: 'Group id', value: (g) => g.id, visible: false },
          {
            id: 'actions',
            header: 'Actions',
            value: () => '',
            csv: false,
            sortable: false,
            cell: (g) => (
              <Button size="compact-xs" variant="outline" onClick={() => setEditing(g.id)}>
                {canManage ? 'Edit' : 'Members'}
                <VisuallyHidden component="span"> {g.name}</VisuallyHidden>
              </Button>
            ),
          },
        ]}
      />
      {creating && (
        <CreateGroupModal
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            refetch();
          }}
        />
      )}
      {editingGroup && <EditGroupModal group={editingGroup} users={users} onClose={() => setEditing(null)} onChanged={refetch} />}
    </Stack>
  );
}

function CreateGroupModal({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const { accountId, products } = useAccount();
  const [name, setName] = useState('');
  const [productIds, setProductIds] = useState<string[]>([]);
  const [{ fetching }, create] = useMutation(CREATE_GROUP);
  const [failure, setFailure] = useState<unknown>(null);
  return (
    <Modal opened onClose={onClose} title="Create a group" centered>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setFailure(null);
          void create({ input: { accountId, name: name.trim(), productIds } }).then((result) => (result.error ? setFailure(result.error) : onCreated()));
        }}
      >
        <Stack>
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
          <MultiSelect
            label="Products its members may use"
            data={products.map((p) => ({ value: p.productId, label: p.productName }))}
            value={productIds}
            onChange={setProductIds}
          />
          <ErrorMessage error={failure} title="Could not create the group" />
          <Group justify="flex-end">
            <Button variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={fetching}>
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function EditGroupModal({ group, users, onClose, onChanged }: { group: GroupDoc; users: User[]; onClose: () => void; onChanged: () => void }) {
  const { products, canManage } = useAccount();
  const [productIds, setProductIds] = useState<string[]>(group.productIds);
  const [newMember, setNewMember] = useState<string | null>(null);
  const [, setProducts] = useMutation(SET_GROUP_PRODUCTS);
  const [, addMember] = useMutation(ADD_GROUP_MEMBER);
  const [, removeMember] = useMutation(REMOVE_GROUP_MEMBER);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const run = async (label: string, action: () => Promise<{ error?: unknown }>) => {
    setBusy(label);
    setFailure(null);
    const result = await action();
    setBusy(null);
    if (result.error) setFailure(result.error);
    onChanged();
  };
  const memberIds = new Set(group.members.map((m) => m.id));
  const candidates = users.filter((u) => u.status === 'ACTIVE' && !memberIds.has(u.id));
  return (
    <Modal opened onClose={onClose} title={`Group ${group.name}`} centered size="lg">
      <Stack>
        <Group align="flex-end" wrap="wrap">
          <MultiSelect
            label="Products"
            data={products.map((p) => ({ value: p.productId, label: p.productName }))}
            value={productIds}
            onChange={setProductIds}
            disabled={!canManage}
            style={{ flex: 1, minWidth: 220 }}
          />
          {canManage && (
            <Button variant="outline" onClick={() => void run('Saving products…', () => setProducts({ input: { groupId: group.id, productIds } }))}>
              Save products
            </Button>
          )}
        </Group>
        {canManage && (
          <Group align="flex-end" wrap="wrap">
            <Select
              label="Add a member"
              data={candidates.map((u) => ({ value: u.id, label: `${u.displayName} <${u.email}>` }))}
              value={newMember}
              onChange={setNewMember}
              searchable
              nothingFoundMessage="No such active user"
              style={{ flex: 1, minWidth: 220 }}
            />
            <Button
              disabled={!newMember}
              onClick={() =>
                newMember && void run('Adding the member…', () => addMember({ input: { groupId: group.id, userId: newMember } })).then(() => setNewMember(null))
              }
            >
              Add
            </Button>
          </Group>
        )}
        {busy && <Busy label={busy} />}
        <ErrorMessage error={failure} title="The change did not go through" />
        <DataTable
          caption={`Members of ${group.name}`}
          data={group.members}
          rowKey={(m) => m.id}
          csvName={['group-members', group.name]}
          initialSort={{ id: 'displayName' }}
          pageSize={10}
          empty="No members."
          columns={[
            { id: 'displayName', header: 'Name', value: (m) => m.displayName },
            { id: 'email', header: 'Email', value: (m) => m.email },
            ...(canManage
              ? [
                  {
                    id: 'remove',
                    header: 'Action',
                    value: () => '',
                    csv: false,
                    sortable: false,
                    cell: (m: GroupDoc['members'][number]) => (
                      <Button
                        size="compact-xs"
                        variant="outline"
                        color="red"
                        aria-label={`Remove ${m.displayName} from ${group.name}`}
                        onClick={() => void run('Removing the member…', () => removeMember({ input: { groupId: group.id, userId: m.id } }))}
                      >
                        Remove
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Stack>
    </Modal>
  );
}
