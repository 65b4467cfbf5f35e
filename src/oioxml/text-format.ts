// OIOXML FormattedText ⇄ plain text with '\n' (FHIR CareCommunication text is a plain string since CC 4.0).
//
// Rendering OIOXML → plain text (the defined rendering; MedCom's viewer is HTML-like, this is its plain-text analogue):
//   1. Whitespace in the XML text (space, tab, CR, LF) is layout of the file, not of the letter: each run collapses
//      to one space, and a collapsed space at the start or end of a line (or of the text) is dropped.
//   2. Break → '\n'. Every Break counts, including leading, repeated and trailing ones.
//   3. Space → ' ', a hard space: never collapsed or dropped.
//   4. Bold, Italic, Underline, FixedFont → their text; the styling is lost (converters report it).
//   5. Center, Right → their text as a block of its own line(s): a line end is inserted before and after the block
//      unless the text is already at a line start there (a Break next to the block is not doubled). The alignment is
//      lost.
//   6. Text is taken literally: `&lt;Teste&gt;` is the text "<Teste>". See interpretEscapedMarkup for formatting
//      that arrived escaped.
//   7. Several ClinicalInformation blocks are joined with one '\n'.
//
// Plain text → OIOXML (FHIR → letter): one Break per '\n' (CRLF and CR count as one line end); within a line a single
// space between two non-space characters stays text, every other space (leading, trailing, runs) becomes Space so that
// rule 1 cannot eat it, and a tab becomes one Space (tab stops do not exist in OIOXML). No other formatting is emitted.
// Hence renderPlainText(fromPlainText(s)) === s for every s without tabs or CR.
import { BREAK, SPACE, type FormattedNode, type FormattedText, type SimpleNode, type Style } from './formatted-text.ts';

type Token = { t: 'chars'; s: string } | { t: 'ws' } | { t: 'hard' } | { t: 'nl' } | { t: 'block' };

const XML_WHITESPACE = /([ \t\r\n]+)/;
// The tokens without a payload are shared: a letter has hundreds of them.
const WS: Token = { t: 'ws' };
const NL: Token = { t: 'nl' };
const HARD: Token = { t: 'hard' };
const BLOCK: Token = { t: 'block' };

const isXmlWhitespace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

function tokens(nodes: readonly FormattedNode[], out: Token[]): Token[] {
  for (const node of nodes) {
    if (typeof node === 'string') {
      for (const part of node.split(XML_WHITESPACE)) {
        if (part.length === 0) continue;
        // split() with a capturing group alternates text and whitespace runs; a run starts with a whitespace char.
        out.push(isXmlWhitespace(part.charCodeAt(0)) ? WS : { t: 'chars', s: part });
      }
    } else if (node.kind === 'Break') out.push(NL);
    else if (node.kind === 'Space') out.push(HARD);
    else if (node.kind === 'Center' || node.kind === 'Right') {
      out.push(BLOCK);
      tokens(node.children, out);
      out.push(BLOCK);
    } else tokens(node.children, out);
  }
  return out;
}

/** Renders one Text01 (or RefuseText) as plain text, by the rules in the header of this file. */
export function renderPlainText(nodes: readonly FormattedNode[]): string {
  let out = '';
  let atLineStart = true;
  let pendingSpace = false;
  let pendingBlock = false;
  const beforeContent = (): void => {
    if (pendingBlock && !atLineStart) {
      out += '\n';
      atLineStart = true;
    }
    if (pendingSpace && !atLineStart) out += ' ';
    pendingBlock = false;
    pendingSpace = false;
  };
  for (const token of tokens(nodes, [])) {
    switch (token.t) {
      case 'chars':
        beforeContent();
        out += token.s;
        atLineStart = false;
        break;
      case 'hard':
        beforeContent();
        out += ' ';
        atLineStart = false;
        break;
      case 'ws':
        pendingSpace = true;
        break;
      case 'block':
        // A collapsed space before a block boundary would end a line: drop it.
        pendingSpace = false;
        pendingBlock = true;
        break;
      case 'nl':
        pendingSpace = false;
        pendingBlock = false;
        out += '\n';
        atLineStart = true;
        break;
    }
  }
  return out;
}

/** Renders several Text01 blocks (ClinicalInformation 1..10) as one text, joined with '\n'. */
export function renderBlocks(blocks: readonly FormattedText[]): string {
  return blocks.map(renderPlainText).join('\n');
}

/** Plain text → FormattedText with Break per line end and Space where a space must survive rendering. */
export function fromPlainText(text: string): FormattedNode[] {
  const out: FormattedNode[] = [];
  const pushText = (s: string): void => {
    const last = out[out.length - 1];
    if (typeof last === 'string') out[out.length - 1] = last + s;
    else out.push(s);
  };
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((line, index) => {
    if (index > 0) out.push(BREAK);
    const runs = line.split(/([ \t]+)/).filter((run) => run.length > 0);
    runs.forEach((run, i) => {
      if (!/^[ \t]/.test(run)) {
        pushText(run);
      } else if (run === ' ' && i > 0 && i < runs.length - 1) {
        pushText(' ');
      } else {
        for (let k = 0; k < run.length; k++) out.push(SPACE);
      }
    });
  });
  return out;
}

/**
 * Splits plain text into at most `maxBlocks` pieces of at most `maxChars` characters for ClinicalInformation blocks
 * (observed limit 3150 = 45 × 70, the EDIFACT FTX geometry; oioxml.md §3). A split prefers a line end, which is then
 * consumed (renderBlocks joins with '\n', so the text survives exactly); otherwise the last space; otherwise a hard cut.
 * Returns undefined when the text needs more than `maxBlocks` blocks.
 */
export function splitIntoBlocks(text: string, maxChars = 3150, maxBlocks = 10): string[] | undefined {
  const blocks: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    if (blocks.length === maxBlocks) return undefined;
    const window = rest.slice(0, maxChars + 1);
    const newline = window.lastIndexOf('\n');
    if (newline > 0) {
      blocks.push(rest.slice(0, newline));
      rest = rest.slice(newline + 1);
      continue;
    }
    const space = window.lastIndexOf(' ', maxChars - 1);
    const cut = space > 0 ? space + 1 : maxChars;
    blocks.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  blocks.push(rest);
  return blocks.length > maxBlocks ? undefined : blocks;
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting that arrived escaped as text. Editors and some senders put MedCom's own tags into the text itself
// (`&lt;Bold&gt;Vigtigt&lt;/Bold&gt;`), meaning formatting; other text merely looks like markup (`&lt;Teste&gt;`).
// Receivers such as OS2korrespondance turn the known tags back into formatting. We do the same on the model, never on
// serialised XML: only the eight MedCom element names are recognised, each only where the schema would allow it;
// anything else — unknown names, misplaced or unbalanced tags' text — stays text, characters unchanged.

const ESCAPED_TAG = /<(\/)?(Break|Space|Bold|Italic|Underline|Center|Right|FixedFont)\s*(\/)?>/g;

type Level = 'formatted' | 'simple' | 'breakable';

interface Frame {
  readonly kind: Style | 'FixedFont' | 'root';
  readonly level: Level;
  readonly children: FormattedNode[];
}

function allows(level: Level, kind: Style | 'FixedFont'): boolean {
  if (level === 'breakable') return false;
  return kind === 'FixedFont' ? level === 'formatted' : true;
}

/** Interprets escaped MedCom formatting tags in text nodes; `interpreted` tells whether any tag was found. */
export function interpretEscapedMarkup(nodes: FormattedText): { text: FormattedText; interpreted: boolean } {
  let interpreted = false;

  const rebuild = (list: readonly FormattedNode[], level: Level): FormattedNode[] => {
    const stack: Frame[] = [{ kind: 'root', level, children: [] }];
    const top = (): Frame => stack[stack.length - 1]!;
    const pushNode = (node: FormattedNode): void => {
      const children = top().children;
      const last = children[children.length - 1];
      if (typeof node === 'string' && typeof last === 'string') children[children.length - 1] = last + node;
      else children.push(node);
    };
    const pop = (): void => {
      const frame = stack.pop()!;
      const node =
        frame.kind === 'FixedFont'
          ? { kind: 'FixedFont' as const, children: frame.children as SimpleNode[] }
          : { kind: frame.kind as Style, children: frame.children as never };
      if (frame.children.length > 0) pushNode(node);
    };

    for (const node of list) {
      if (typeof node !== 'string') {
        if (node.kind === 'Break' || node.kind === 'Space') {
          pushNode(node);
          continue;
        }
        // A real element inside an interpreted one the schema would not allow there: close interpreted frames.
        while (stack.length > 1 && !allows(top().level, node.kind)) pop();
        const inner = node.kind === 'FixedFont' ? 'simple' : 'breakable';
        pushNode({ ...node, children: rebuild(node.children, inner) } as FormattedNode);
        continue;
      }
      let from = 0;
      for (const match of node.matchAll(ESCAPED_TAG)) {
        const [whole, closing, name] = match as unknown as [string, string | undefined, string];
        const index = match.index ?? 0;
        if (index > from) pushNode(node.slice(from, index));
        from = index + whole.length;
        interpreted = true;
        if (name === 'Break' || name === 'Space') {
          if (!closing) pushNode(name === 'Break' ? BREAK : SPACE);
          continue;
        }
        const kind = name as Style | 'FixedFont';
        if (closing) {
          const at = stack.findLastIndex((frame) => frame.kind === kind);
          if (at > 0) while (stack.length > at) pop();
        } else if (!match[3] && allows(top().level, kind)) {
          stack.push({ kind, level: kind === 'FixedFont' ? 'simple' : 'breakable', children: [] });
        }
      }
      if (from < node.length) pushNode(node.slice(from));
    }
    while (stack.length > 1) pop();
    return top().children;
  };

  const text = rebuild(nodes, 'formatted');
  return { text, interpreted };
}
