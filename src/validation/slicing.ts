// Slicing: compiling each slice's discriminators (phase 2 of profile compilation), and assigning the items of a
// sliced element to slices while validating — open / closed / openAtEnd rules, ordered slicing, slice cardinality,
// reslicing and `@default` slices.
import {
  compileMatcher,
  conformanceMatcher,
  type MatchContext,
  type ProfileLookup,
  type SliceItem,
  type SliceMatcher,
} from './discriminators.ts';
import type { CompiledProfile, ElementDef } from './structure.ts';

const NEVER: SliceMatcher = () => false;

/** Phase 2: every slice of the profile gets one matcher per discriminator of its slicing. */
export function compileSlicing(profile: CompiledProfile, lookup: ProfileLookup): void {
  const visit = (element: ElementDef): void => {
    const slicing = element.slicing;
    if (slicing) {
      for (const slice of slicing.slices) {
        const matchers: SliceMatcher[] = [];
        if (slicing.discriminators.length === 0) matchers.push(conformanceMatcher(slice));
        for (const discriminator of slicing.discriminators) {
          const matcher = compileMatcher(discriminator, slice, element, lookup);
          if (typeof matcher === 'string') {
            // An unmatchable slice claims nothing (its min is then reported), rather than claiming everything.
            profile.problems.push(`${profile.label}: ${matcher}`);
            matchers.push(NEVER);
          } else matchers.push(matcher);
        }
        slice.matchers = matchers;
      }
      for (const slice of slicing.slices) visit(slice);
      if (slicing.defaultSlice) visit(slicing.defaultSlice);
    }
    for (const c of element.children) visit(c);
  };
  visit(profile.root);
}

export interface SlicingProblem {
  /** Item position the problem is about, or -1 for the sliced element as a whole. */
  readonly index: number;
  readonly code: 'structure' | 'required';
  readonly message: string;
  readonly slice: ElementDef | undefined;
}

/**
 * Assigns each item to the slice it matches (the first, in slice order) and returns, per item, the definition to
 * validate it against: the (re)slice, or the sliced element itself for items no slice claims.
 */
export function assignSlices(
  items: readonly SliceItem[],
  sliced: ElementDef,
  context: MatchContext,
  problems: SlicingProblem[],
): ElementDef[] {
  const targets: ElementDef[] = items.map(() => sliced);
  assignWithin(
    items.map((_, i) => i),
    items,
    sliced,
    context,
    problems,
    targets,
  );
  return targets;
}

function assignWithin(
  positions: number[],
  items: readonly SliceItem[],
  sliced: ElementDef,
  context: MatchContext,
  problems: SlicingProblem[],
  targets: ElementDef[],
): void {
  const slicing = sliced.slicing!;
  const slices = slicing.slices;
  const members: number[][] = slices.map(() => []);
  const defaults: number[] = [];
  let lastSlice = -1;
  let seenUnmatched = false;
  for (const position of positions) {
    const item = items[position]!;
    const found = slices.findIndex((slice) => slice.matchers!.every((match) => match(item, context)));
    if (found < 0) {
      seenUnmatched = true;
      if (slicing.defaultSlice) {
        defaults.push(position);
        targets[position] = slicing.defaultSlice;
      } else if (slicing.rules === 'closed') {
        problems.push({
          index: position,
          code: 'structure',
          message: `does not match any slice of ${describe(sliced)}, and the slicing is closed (${sliceNames(sliced)})`,
          slice: undefined,
        });
      }
      continue;
    }
    if (seenUnmatched && slicing.rules === 'openAtEnd') {
      problems.push({
        index: position,
        code: 'structure',
        message: `matches slice '${slices[found]!.sliceName}' after an item that matches no slice; the slicing of ${describe(sliced)} is open only at the end`,
        slice: slices[found],
      });
    }
    if (slicing.ordered && found < lastSlice) {
      problems.push({
        index: position,
        code: 'structure',
        message: `is out of order: slice '${slices[found]!.sliceName}' must come before slice '${slices[lastSlice]!.sliceName}' (ordered slicing of ${describe(sliced)})`,
        slice: slices[found],
      });
    }
    lastSlice = Math.max(lastSlice, found);
    members[found]!.push(position);
    targets[position] = slices[found]!;
  }
  const counted: [ElementDef, number[]][] = slices.map((slice, i) => [slice, members[i]!]);
  if (slicing.defaultSlice) counted.push([slicing.defaultSlice, defaults]);
  counted.forEach(([slice, sliceMembers]) => {
    const count = sliceMembers.length;
    if (count < slice.min) {
      problems.push({
        index: -1,
        code: 'required',
        message: `slice '${slice.sliceName}' of ${describe(sliced)} requires at least ${slice.min} item(s), found ${count}`,
        slice,
      });
    }
    if (count > slice.max) {
      problems.push({
        index: -1,
        code: 'structure',
        message: `slice '${slice.sliceName}' of ${describe(sliced)} allows at most ${slice.max} item(s), found ${count}`,
        slice,
      });
    }
    if (slice.slicing && count > 0) assignWithin(sliceMembers, items, slice, context, problems, targets);
  });
}

function describe(element: ElementDef): string {
  return `${element.id} in profile ${element.owner.label}`;
}

function sliceNames(element: ElementDef): string {
  return `slices: ${element.slicing!.slices.map((s) => s.sliceName).join(', ') || 'none'}`;
}
