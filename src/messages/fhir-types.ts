/**
 * The handful of FHIR R4 shapes the message model builds and reads. Deliberately partial: only the elements MedCom
 * messages use. Parsed input is never trusted to have these shapes — readers check every field they rely on.
 */
import type { FhirResource } from '../fhir/packages/context.ts';

export type { FhirResource };

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface Identifier {
  use?: string;
  system?: string;
  value?: string;
}

export interface Reference {
  reference?: string;
  identifier?: Identifier;
  display?: string;
}

export interface Period {
  start?: string;
  end?: string;
}

export interface Extension {
  url: string;
  valueBoolean?: boolean;
  valueReference?: Reference;
  valuePeriod?: Period;
  valueCoding?: Coding;
  valueString?: string;
  [key: string]: unknown;
}

export interface Narrative {
  status: 'generated' | 'extensions' | 'additional' | 'empty';
  div: string;
}

export interface Meta {
  profile?: string[];
  [key: string]: unknown;
}

/** Fields every resource we produce has. */
export interface DomainResource extends FhirResource {
  id: string;
  meta?: Meta;
  text?: Narrative;
  extension?: Extension[];
}

export interface Organization extends DomainResource {
  resourceType: 'Organization';
  identifier: Identifier[];
  name?: string;
}

export interface HumanName {
  use?: string;
  family?: string;
  given?: string[];
}

export interface Patient extends DomainResource {
  resourceType: 'Patient';
  identifier: Identifier[];
  name: HumanName[];
  deceasedBoolean?: boolean;
}

export interface Encounter extends DomainResource {
  resourceType: 'Encounter';
  status: string;
  class: Coding;
  subject: Reference;
  episodeOfCare: { identifier: Identifier }[];
  period: Period;
  serviceProvider: Reference;
}

export interface MessageDestination {
  extension: Extension[];
  endpoint: string;
  receiver: Reference;
}

export interface MessageHeader extends DomainResource {
  resourceType: 'MessageHeader';
  eventCoding: Coding;
  destination: MessageDestination[];
  sender: Reference;
  source: { endpoint: string };
  focus?: Reference[];
  response?: { identifier: string; code: string; details?: Reference };
  definition?: string;
}

export interface ProvenanceEntity {
  role: string;
  what: Reference;
}

export interface Provenance extends DomainResource {
  resourceType: 'Provenance';
  target: Reference[];
  occurredDateTime: string;
  recorded: string;
  activity: CodeableConcept;
  agent: { who: Reference }[];
  entity?: ProvenanceEntity[];
}

export interface OperationOutcomeIssue {
  severity: string;
  code: string;
  details?: CodeableConcept;
  diagnostics?: string;
  expression?: string[];
}

export interface OperationOutcome extends DomainResource {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}

export interface BundleEntry {
  fullUrl: string;
  resource: FhirResource;
}

/** A MedCom message: a `message` Bundle whose first entry is the MessageHeader. */
export interface MessageBundle extends FhirResource {
  resourceType: 'Bundle';
  id: string;
  meta?: Meta;
  type: 'message';
  timestamp: string;
  entry: BundleEntry[];
}
