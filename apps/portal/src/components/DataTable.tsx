import { Button, Group, Pagination, Table, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconDownload } from '@tabler/icons-react';
import { flexRender, getCoreRowModel, getPaginationRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { useMemo, useState, type ReactNode } from 'react';
import { csvFileName, downloadCsv, toCsv, type CsvCell } from '../lib/csv';

export interface Column<T> {
  /** Column id, also the CSV header (named as the GraphQL field where there is one). */
  id: string;
  header: string;
  /** The value sorted on and written to CSV. */
  value: (row: T) => CsvCell;
  /** What the cell shows (default: the value). */
  cell?: (row: T) => ReactNode;
  numeric?: boolean;
  sortable?: boolean;
  /** false: shown but not in the CSV (e.g. action buttons). */
  csv?: boolean;
  /** false: only in the CSV (e.g. ids that the table names instead). */
  visible?: boolean;
}

export interface DataTableProps<T> {
  caption: string;
  data: readonly T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** File name parts for "Download CSV"; no button without it. */
  csvName?: string[];
  initialSort?: { id: string; desc?: boolean };
  pageSize?: number;
  empty?: ReactNode;
  testId?: string;
}

/**
 * A sortable, paged table (TanStack Table for the row model, Mantine for the look) whose
 * every row, sorted as shown, downloads as CSV.
 */
export function DataTable<T>({ caption, data, columns, rowKey, csvName, initialSort, pageSize = 25, empty, testId }: DataTableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSort ? [{ id: initialSort.id, desc: !!initialSort.desc }] : []);
  const [pagination, setPagination] = useState({ pageIndex: 0, pageSize });
  const defs = useMemo<ColumnDef<T>[]>(
    () =>
      columns
        .filter((c) => c.visible !== false)
        .map((c) => ({
          id: c.id,
          header: c.header,
          accessorFn: (row: T) => c.value(row) ?? '',
          cell: (info) => (c.cell ? c.cell(info.row.original) : String(c.value(info.row.original) ?? '')),
          enableSorting: c.sortable !== false,
          sortingFn: c.numeric ? 'basic' : 'alphanumeric',
          sortUndefined: 'last',
        })),
    [columns],
  );
  const table = useReactTable<T>({
    data: data as T[],
    columns: defs,
    state: { sorting, pagination },
    onSortingChange: setSorting,
    onPaginationChange: setPagination,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    getRowId: (row) => rowKey(row),
    autoResetPageIndex: true,
  });
  const numeric = new Set(columns.filter((c) => c.numeric).map((c) => c.id));
  const pages = table.getPageCount();

  const download = () => {
    const exported = columns.filter((c) => c.csv !== false);
    // Rows in the order shown (hidden CSV-only columns sort nothing).
    const rows = table.getSortedRowModel().rows.map((r) => exported.map((c) => c.value(r.original)));
    downloadCsv(
      csvFileName(...(csvName ?? [caption])),
      toCsv(
        exported.map((c) => c.id),
        rows,
      ),
    );
  };

  return (
    <div data-testid={testId}>
      <Group justify="space-between" mb={4} gap="xs">
        <Text size="sm" c="dimmed" aria-live="polite">
          {data.length === 1 ? '1 row' : `${data.length.toLocaleString('en')} rows`}
        </Text>
        {csvName && (
          <Button variant="outline" size="xs" leftSection={<IconDownload size={14} aria-hidden />} onClick={download} disabled={data.length === 0}>
            Download CSV<VisuallyHidden>: {caption}</VisuallyHidden>
          </Button>
        )}
      </Group>
      <Table.ScrollContainer minWidth={480} type="native">
        <Table striped highlightOnHover verticalSpacing={6} fz="sm">
          <caption style={{ captionSide: 'top', textAlign: 'left' }}>
            <VisuallyHidden>{caption}</VisuallyHidden>
          </caption>
          <Table.Thead>
            {table.getHeaderGroups().map((group) => (
              <Table.Tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const label = flexRender(header.column.columnDef.header, header.getContext());
                  return (
                    <Table.Th
                      key={header.id}
                      scope="col"
                      ta={numeric.has(header.column.id) ? 'right' : undefined}
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : header.column.getCanSort() ? 'none' : undefined}
                    >
                      {header.column.getCanSort() ? (
                        <UnstyledButton
                          onClick={header.column.getToggleSortingHandler()}
                          fw={700}
                          fz="sm"
                          style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}
                        >
                          {label}
                          {sorted === 'asc' ? (
                            <IconArrowUp size={14} aria-hidden />
                          ) : sorted === 'desc' ? (
                            <IconArrowDown size={14} aria-hidden />
                          ) : (
                            <IconArrowsSort size={14} aria-hidden />
                          )}
                        </UnstyledButton>
                      ) : (
                        label
                      )}
                    </Table.Th>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Thead>
          <Table.Tbody>
            {table.getRowModel().rows.map((row) => (
              <Table.Tr key={row.id} data-row-key={row.id}>
                {row.getVisibleCells().map((cell) => (
                  <Table.Td key={cell.id} ta={numeric.has(cell.column.id) ? 'right' : undefined}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
            {data.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={defs.length}>{empty ?? 'Nothing to show.'}</Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pages > 1 && (
        <Group justify="center" mt="sm">
          <Pagination
            total={pages}
            value={pagination.pageIndex + 1}
            onChange={(page) => table.setPageIndex(page - 1)}
            size="sm"
            siblings={1}
            getItemProps={(page) => ({ 'aria-label': `Page ${page} of ${caption}` })}
            getControlProps={(control) => ({ 'aria-label': `${control[0].toUpperCase()}${control.slice(1)} page of ${caption}` })}
          />
        </Group>
      )}
    </div>
  );
}
