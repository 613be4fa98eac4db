import { IConstruct } from 'constructs';

/**
 * `base`, or `base2`, `base3`, ... when `scope` already has a child of that id: value types that
 * create a child in the binding construct (an asset) may be bound several times in one scope.
 * Not exported from the package.
 */
export function uniqueChildId(scope: IConstruct, base: string): string {
  let id = base;
  for (let n = 2; scope.node.tryFindChild(id) !== undefined; n++) {
    id = `${base}${n}`;
  }
  return id;
}
