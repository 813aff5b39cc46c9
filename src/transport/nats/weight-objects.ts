import { Objm, type ObjectStore } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/transport-node';

/** Chunks below the server's default 1 MiB message limit: a few large chunks move faster than many 128 KiB ones. */
const CHUNK_BYTES = 512 * 1024;

/**
 * Model weights in a JetStream object store: flat float32 buffers (the engine's transfer layout,
 * little-endian), stored under a name, checked against their SHA-256 digest by the store on read.
 * A sweep over NATS keeps whole files in one too ({@link WeightObjects.putBytes}).
 *
 * @example
 * const store = await WeightObjects.create(nc, 'fedgear-lab');
 * await store.put('round-1/global', weights);
 */
export class WeightObjects {
  private constructor(private readonly store: ObjectStore) {}

  /** Creates the bucket (or opens it when it exists: a resumed coordinator reuses it). */
  static async create(nc: NatsConnection, bucket: string): Promise<WeightObjects> {
    return new WeightObjects(await new Objm(nc).create(bucket, { storage: 'file' }));
  }

  /** Opens a bucket the coordinator created. */
  static async open(nc: NatsConnection, bucket: string): Promise<WeightObjects> {
    return new WeightObjects(await new Objm(nc).open(bucket));
  }

  async put(name: string, weights: Float32Array): Promise<void> {
    await this.putBytes(name, new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength));
  }

  async get(name: string): Promise<Float32Array> {
    const bytes = await this.store.getBlob(name);
    if (bytes === null) throw new Error(`weights ${name} must exist in the object store, but they do not.`);
    if (bytes.byteLength % 4 !== 0) throw new Error(`weights ${name} must be whole float32 values, but the object has ${bytes.byteLength} bytes.`);
    // A copy into a buffer of its own: the store's bytes may be a view into a larger (pooled) one.
    const weights = new Float32Array(bytes.byteLength / 4);
    new Uint8Array(weights.buffer).set(bytes);
    return weights;
  }

  /** Stores any bytes (a file of a sweep's bundle) under `name`. */
  async putBytes(name: string, bytes: Uint8Array): Promise<void> {
    await this.store.putBlob({ name, options: { max_chunk_size: CHUNK_BYTES } }, bytes);
  }

  /** The bytes stored under `name`. */
  async getBytes(name: string): Promise<Uint8Array> {
    const bytes = await this.store.getBlob(name);
    if (bytes === null) throw new Error(`object ${name} must exist in the object store, but it does not.`);
    return bytes;
  }

  /** The names of the objects whose name starts with `prefix`. */
  async names(prefix: string): Promise<string[]> {
    return (await this.store.list()).map((entry) => entry.name).filter((name) => name.startsWith(prefix));
  }

  /** Deletes every object whose name starts with `prefix`. */
  async deletePrefix(prefix: string): Promise<void> {
    const entries = await this.store.list();
    await Promise.all(entries.filter((entry) => entry.name.startsWith(prefix)).map((entry) => this.store.delete(entry.name)));
  }

  /** Deletes the bucket and everything in it. */
  async destroy(): Promise<void> {
    await this.store.destroy();
  }
}
