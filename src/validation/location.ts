// Where the walk is in the instance. A location is a tiny linked list that costs one object per visited property;
// its FHIRPath text is only built when an issue is recorded, so the success path builds no strings.

export interface Location {
  readonly parent: Location | undefined;
  /** Property name (`identifier`), a choice step (`value.ofType(Period)`) or a root (`Bundle`). */
  readonly name: string;
  /** Position in a repeating element; -1 when the element is not a list. */
  readonly index: number;
}

export function rootLocation(name: string): Location {
  return { parent: undefined, name, index: -1 };
}

export function child(parent: Location, name: string, index = -1): Location {
  return { parent, name, index };
}

export function locationText(location: Location): string {
  const parts: string[] = [];
  for (let at: Location | undefined = location; at; at = at.parent) {
    parts.push(at.index >= 0 ? `${at.name}[${at.index}]` : at.name);
  }
  return parts.reverse().join('.');
}
