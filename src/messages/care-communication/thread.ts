/**
 * Threads of CareCommunications, as receivers must show them (CC governance display rules 8–13, medcom-fhir.md §4.4):
 *
 * - messages belong together when their `Communication.identifier` is the same; an unknown identifier starts a new
 *   thread (a forward therefore always starts one);
 * - a reply repeats every earlier segment, so segments are de-duplicated by their segment identifier; a repeated
 *   attachment has lost its file, so the copy that still has data (or a url, or an author) fills the gaps;
 * - segments are ordered by their own timestamp, ties broken by "initiator first" (the organisation that started the
 *   thread), then by the order they were first sent in;
 * - late, out-of-order and parallel replies merge into the same thread; the same MessageHeader twice is a duplicate
 *   (GOV 043: never show duplicates);
 * - only the latest message of a thread may be answered; a reply to an older one is refused with
 *   {@link NotLatestInThreadError}, which tells the user to start a new thread.
 *
 * A `Threads` instance is owned by its caller (one per mailbox, tenant or test) — there is no shared registry.
 */
import { MessageModelError } from '../errors.ts';
import { parseInstant } from '../clock.ts';
import { sameParty, type MessagingParty } from '../parties.ts';
import { NotLatestInThreadError } from './errors.ts';
import type { CareCommunicationMessage, ReadAttachment, Segment } from './model.ts';

/** A segment as the thread shows it, with the messages it travelled in. */
export interface ThreadSegment extends Segment {
  /** MessageHeader id of the earliest message (by send time) that carried the segment. */
  readonly firstMessageHeaderId: string;
  /** MessageHeader ids of every message in the thread that carried it. */
  readonly seenIn: readonly string[];
}

export type AddOutcome = 'new-thread' | 'added' | 'duplicate';

/** Thread ids are compared in lower case: we generate lower case, but a received `urn:uuid:` may differ in case. */
export function threadKey(threadId: string): string {
  return threadId.trim().toLowerCase();
}

function millis(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseInstant(value)?.getTime();
}

/** The moment a message was sent: its own Provenance time, else the Bundle timestamp. */
function sentMillis(message: CareCommunicationMessage): number | undefined {
  return millis(message.sentAt) ?? millis(message.timestamp);
}

function mergeAttachment(
  kept: ReadAttachment | undefined,
  other: ReadAttachment | undefined,
): ReadAttachment | undefined {
  if (!kept || !other) return kept ?? other;
  if (kept.data !== undefined || kept.url !== undefined) return { ...other, ...kept };
  return { ...kept, ...other };
}

export class Thread {
  readonly id: string;
  readonly #messages = new Map<string, { message: CareCommunicationMessage; arrival: number }>();
  #arrivals = 0;
  #ordered: CareCommunicationMessage[] | undefined;
  #segments: ThreadSegment[] | undefined;

  constructor(first: CareCommunicationMessage) {
    this.id = threadKey(first.threadId);
    this.add(first);
  }

  /** Adds a message of this thread; `duplicate` when its MessageHeader is already known (a resend). */
  add(message: CareCommunicationMessage): 'added' | 'duplicate' {
    if (threadKey(message.threadId) !== this.id) {
      throw new MessageModelError(
        `message belongs to thread ${message.threadId}, not ${this.id}`,
        'Communication.identifier[0].value',
        this.id,
        `Bundle/${message.bundleId}`,
      );
    }
    if (this.#messages.has(message.messageHeaderId)) return 'duplicate';
    this.#messages.set(message.messageHeaderId, { message, arrival: this.#arrivals++ });
    this.#ordered = undefined;
    this.#segments = undefined;
    return 'added';
  }

  has(messageHeaderId: string): boolean {
    return this.#messages.has(messageHeaderId);
  }

  /** Messages in send order (own Provenance time); equal or missing times keep arrival order. */
  get messages(): readonly CareCommunicationMessage[] {
    if (!this.#ordered) {
      const entries = [...this.#messages.values()];
      entries.sort((a, b) => {
        const ta = sentMillis(a.message);
        const tb = sentMillis(b.message);
        if (ta !== undefined && tb !== undefined && ta !== tb) return ta - tb;
        if (ta === undefined && tb !== undefined) return 1;
        if (tb === undefined && ta !== undefined) return -1;
        return a.arrival - b.arrival;
      });
      this.#ordered = entries.map((e) => e.message);
    }
    return this.#ordered;
  }

  /**
   * The message that started the thread: a new message, a forward, or a reply to an OIOXML letter (none of them
   * revises a FHIR message of this thread). Undefined while only later messages have arrived.
   */
  get starter(): CareCommunicationMessage | undefined {
    return this.messages.find(
      (m) =>
        m.activity === 'new-message' || m.activity === 'forward-message' || m.previousMessageHeaderId === undefined,
    );
  }

  /**
   * The organisation that started the thread. Before the first message arrives, the assigner of the earliest
   * segment stands in (a reply repeats the first message's segments with their assigner).
   */
  get initiator(): MessagingParty {
    const starter = this.starter;
    if (starter) return starter.sender.party;
    const earliest = this.segmentsByTime(undefined).find((s) => s.assigner);
    return earliest?.assigner ?? this.messages[0]!.sender.party;
  }

  /**
   * The message a reply must answer: among the messages no other message of the thread revises, the one sent last
   * (later arrival wins a tie). Parallel replies to the same message thus have one latest: the newer.
   */
  get latest(): CareCommunicationMessage {
    const revised = new Set(this.messages.map((m) => m.previousMessageHeaderId).filter((id) => id !== undefined));
    const leaves = this.messages.filter((m) => !revised.has(m.messageHeaderId));
    const candidates = leaves.length > 0 ? leaves : this.messages;
    return candidates[candidates.length - 1]!;
  }

  isLatest(messageHeaderId: string): boolean {
    return this.latest.messageHeaderId === messageHeaderId;
  }

  /** Throws unless `messageHeaderId` is the latest message of this thread. */
  assertCanReplyTo(messageHeaderId: string): void {
    if (!this.has(messageHeaderId)) {
      throw new MessageModelError(
        `MessageHeader ${messageHeaderId} is not part of thread ${this.id}`,
        'Bundle.entry[0].resource.id',
        `a MessageHeader of thread ${this.id}`,
      );
    }
    const latest = this.latest;
    if (latest.messageHeaderId !== messageHeaderId) {
      throw new NotLatestInThreadError(this.id, messageHeaderId, latest.messageHeaderId);
    }
  }

  /** The merged segment with this identifier. */
  segment(segmentId: string): ThreadSegment | undefined {
    return this.segments.find((s) => s.id === segmentId);
  }

  /** Every segment once, in display order. */
  get segments(): readonly ThreadSegment[] {
    this.#segments ??= this.segmentsByTime(this.initiatorIfKnown());
    return this.#segments;
  }

  private initiatorIfKnown(): MessagingParty | undefined {
    return this.messages.length > 0 ? this.initiator : undefined;
  }

  private segmentsByTime(initiator: MessagingParty | undefined): ThreadSegment[] {
    const merged = new Map<string, { segment: ThreadSegment; order: number }>();
    let order = 0;
    for (const message of this.messages) {
      for (const segment of message.segments) {
        // A segment without identifier cannot be matched across messages; it stays tied to its message.
        const key = segment.id !== '' ? segment.id : `${message.messageHeaderId}#${segment.index}`;
        const known = merged.get(key);
        if (!known) {
          merged.set(key, {
            segment: { ...segment, firstMessageHeaderId: message.messageHeaderId, seenIn: [message.messageHeaderId] },
            order: order++,
          });
          continue;
        }
        const k = known.segment;
        const attachment = mergeAttachment(k.attachment, segment.attachment);
        known.segment = {
          ...segment,
          ...k,
          ...(attachment ? { attachment } : {}),
          seenIn: [...k.seenIn, message.messageHeaderId],
        };
      }
    }
    const isInitiator = (s: Segment) => (initiator && s.assigner ? sameParty(s.assigner, initiator) : false);
    return [...merged.values()]
      .sort((a, b) => {
        const ta = millis(a.segment.time);
        const tb = millis(b.segment.time);
        if (ta !== undefined && tb !== undefined && ta !== tb) return ta - tb;
        if (ta === undefined && tb !== undefined) return 1;
        if (tb === undefined && ta !== undefined) return -1;
        const ia = isInitiator(a.segment);
        const ib = isInitiator(b.segment);
        if (ia !== ib) return ia ? -1 : 1;
        return a.order - b.order;
      })
      .map((e) => e.segment);
  }
}

/** The threads of one mailbox. */
export class Threads {
  readonly #byId = new Map<string, Thread>();
  readonly #byHeader = new Map<string, Thread>();

  /** Files a message into its thread; an unknown thread id opens a new thread. */
  add(message: CareCommunicationMessage): { thread: Thread; outcome: AddOutcome } {
    const key = threadKey(message.threadId);
    let thread = this.#byId.get(key);
    let outcome: AddOutcome;
    if (thread) {
      outcome = thread.add(message);
    } else {
      thread = new Thread(message);
      this.#byId.set(key, thread);
      outcome = 'new-thread';
    }
    this.#byHeader.set(message.messageHeaderId, this.#byHeader.get(message.messageHeaderId) ?? thread);
    return { thread, outcome };
  }

  get(threadId: string): Thread | undefined {
    return this.#byId.get(threadKey(threadId));
  }

  /** The thread a MessageHeader was filed in. */
  threadOf(messageHeaderId: string): Thread | undefined {
    return this.#byHeader.get(messageHeaderId);
  }

  all(): Thread[] {
    return [...this.#byId.values()];
  }
}
