import { deleteTargets, findDeletion, type PathSegment, parsePath, setPath } from './paths.ts';
import { OperationError } from './types.ts';

type Target = Record<string | number, unknown>;

/**
 * Applies one updateNode's `changes` ({ path: value }, `null` deletes) to `target`.
 *
 * Every index addresses the node as it was before the operation. So: the sets first, in request order; then the
 * deletions, all resolved before any runs and array elements removed from the highest index down. Deleting
 * `items[0]` and `items[1]` removes the first two elements (one after the other in request order would remove
 * elements 0 and 2); `{"items[1]": "B", "items[0]": null}` sets the second element, then removes the first.
 *
 * A set and a deletion on overlapping paths (the same path, or one inside the other: `items[0]` deleted and
 * `items[0].name` set) are refused: any order would silently discard one of them.
 *
 * Throws on the first bad path; the caller works on a copy, so a failed operation changes nothing.
 */
export function applyChanges(target: Target, changes: Record<string, unknown>) {
  const sets = Object.entries(changes).filter(([, value]) => value !== null);
  const deletions = Object.keys(changes).filter((path) => changes[path] === null);
  refuseOverlaps(
    sets.map(([path]) => path),
    deletions,
  );
  for (const [path, value] of sets) setPath(target, path, value);
  deleteTargets(deletions.flatMap((path) => findDeletion(target, path) ?? []));
}

function refuseOverlaps(setPaths: string[], deletePaths: string[]) {
  if (!setPaths.length || !deletePaths.length) return;
  const key = (segments: PathSegment[]) => JSON.stringify(segments);
  /** Every set path, and every path above one (`parameters`, `parameters.items`, … for `parameters.items[0]`). */
  const setAtOrBelow = new Map<string, string>();
  const setExactly = new Map<string, string>();
  for (const path of setPaths) {
    const segments = parsePath(path);
    setExactly.set(key(segments), path);
    for (let n = 1; n <= segments.length; n++)
      if (!setAtOrBelow.has(key(segments.slice(0, n)))) setAtOrBelow.set(key(segments.slice(0, n)), path);
  }
  for (const path of deletePaths) {
    const segments = parsePath(path);
    let clash = setAtOrBelow.get(key(segments));
    for (let n = 1; clash === undefined && n < segments.length; n++) clash = setExactly.get(key(segments.slice(0, n)));
    if (clash !== undefined) {
      throw new OperationError(
        'VALIDATION_ERROR',
        `updateNode: "${clash}" is set and "${path}" is deleted (null) in the same operation, and one lies inside the other,` +
          ' so one change would be lost. Split them into two operations, in the order you mean.',
      );
    }
  }
}
