// Server-side printing: `Table` responses (meta.k8s.io/v1) with the columns a real cluster
// returns, so `kubectl get` prints the same layout. Columns per kind are in table-columns.ts.

import { CUSTOM_COLUMNS } from '../policy/crds.js';
import type { ResourceDef } from '../resources.js';
import type { KubeObject } from '../types.js';
import { ageOf } from './age.js';
import { COLUMNS, type Column } from './table-columns.js';
import { MORE_COLUMNS } from './table-columns-more.js';

const BUILT_IN_GROUP = /^$|^(apps|batch|policy|autoscaling)$|\.k8s\.io$/;

/** wantsTable tells whether an Accept header asks for a Table. */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept.split(',')[0] ?? '');
}

const DEFAULT_COLUMNS: Column[] = [
  {
    name: 'Name',
    type: 'string',
    format: 'name',
    description: 'Name must be unique within a namespace.',
    cell: (o) => o.metadata.name ?? '',
  },
  {
    name: 'Created At',
    type: 'date',
    description: 'CreationTimestamp is a timestamp.',
    cell: (o) => o.metadata.creationTimestamp ?? '',
  },
];

function columnsFor(def: ResourceDef): Column[] {
  // Built-in kinds are keyed by kind alone; a custom kind by group and kind.
  const custom = BUILT_IN_GROUP.test(def.group) ? undefined : CUSTOM_COLUMNS.get(`${def.group}/${def.kind}`);
  return custom ?? COLUMNS[def.kind] ?? MORE_COLUMNS[def.kind] ?? DEFAULT_COLUMNS;
}

function partialMetadata(o: KubeObject): Record<string, unknown> {
  const { managedFields: _m, ...meta } = o.metadata;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: meta };
}

/** tableRow renders one object as a Table row. */
export function tableRow(
  def: ResourceDef,
  o: KubeObject,
  includeObject: string | null,
  now: number,
): Record<string, unknown> {
  const cells = columnsFor(def).map((c) => c.cell(o, now));
  const row: Record<string, unknown> = { cells };
  if (includeObject === 'Object') row.object = o;
  else if (includeObject !== 'None') row.object = partialMetadata(o);
  return row;
}

/** toTable renders objects as a Table. */
export function toTable(
  def: ResourceDef,
  items: KubeObject[],
  meta: { resourceVersion: string; continue?: string; remainingItemCount?: number },
  includeObject: string | null,
  withColumns = true,
): Record<string, unknown> {
  const now = Date.now();
  const table: Record<string, unknown> = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: meta };
  if (withColumns) {
    table.columnDefinitions = columnsFor(def).map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description,
      priority: c.priority ?? 0,
    }));
  }
  table.rows = items.map((o) => tableRow(def, o, includeObject, now));
  return table;
}

export { ageOf };
