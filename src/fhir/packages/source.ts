import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPackageRef, parsePackageRef, type PackageRef } from './package-ref.ts';

/** Where `packages install` gets a package's `.tgz` from. */
export interface PackageSource {
  readonly label: string;
  /** Every package the source offers; only a folder can answer this. */
  list(): Promise<PackageRef[] | undefined>;
  fetch(ref: PackageRef): Promise<Uint8Array | undefined>;
}

/** A folder of `<id>#<version>.tgz` files, as in `../shared/medcom/packages`. */
export class FolderSource implements PackageSource {
  constructor(readonly folder: string) {}

  get label(): string {
    return this.folder;
  }

  async list(): Promise<PackageRef[]> {
    return this.refs();
  }

  /** Versions of one package id the folder holds. */
  listSync(id: string): string[] {
    return this.refs()
      .filter((ref) => ref.id === id)
      .map((ref) => ref.version);
  }

  private refs(): PackageRef[] {
    return readdirSync(this.folder)
      .filter((name) => name.endsWith('.tgz') && name.includes('#'))
      .map((name) => parsePackageRef(name.slice(0, -4)));
  }

  async fetch(ref: PackageRef): Promise<Uint8Array | undefined> {
    const file = join(this.folder, `${formatPackageRef(ref)}.tgz`);
    return existsSync(file) ? readFileSync(file) : undefined;
  }
}

/**
 * An npm-style package registry, which the FHIR package registries also speak: `GET <base>/<id>` returns a document
 * whose `versions[v].dist.tarball` is the archive. `GET <base>/<id>/<version>` (FHIR registry short form) is the fallback.
 */
export class RegistrySource implements PackageSource {
  constructor(
    readonly base: string,
    private readonly http: typeof fetch = fetch,
  ) {}

  get label(): string {
    return this.base;
  }

  async list(): Promise<undefined> {
    return undefined;
  }

  async fetch(ref: PackageRef): Promise<Uint8Array | undefined> {
    const base = this.base.replace(/\/+$/, '');
    const doc = await this.get(`${base}/${ref.id}`, 'application/json');
    if (doc) {
      const tarball = (JSON.parse(Buffer.from(doc).toString('utf8')) as RegistryDocument).versions?.[ref.version]?.dist
        ?.tarball;
      if (tarball) return this.get(new URL(tarball, `${base}/`).href, 'application/gzip');
    }
    return this.get(`${base}/${ref.id}/${ref.version}`, 'application/gzip');
  }

  private async get(url: string, accept: string): Promise<Uint8Array | undefined> {
    let response: Response;
    try {
      response = await this.http(url, { headers: { accept } });
    } catch (error) {
      // A pooled keep-alive connection the server has already closed fails once with ECONNRESET; a GET is safe to repeat.
      if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
      response = await this.http(url, { headers: { accept } });
    }
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`${url}: registry answered HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }
}

interface RegistryDocument {
  versions?: Record<string, { dist?: { tarball?: string } }>;
}

export function sourceFor(from: string): PackageSource {
  return /^https?:\/\//i.test(from) ? new RegistrySource(from) : new FolderSource(from);
}
