/**
 * @peculiar/x509 resolves its ASN.1 providers through tsyringe, which refuses to load
 * unless a Reflect metadata API exists (normally the `reflect-metadata` package, not a
 * dependency of kos). tsyringe only stores and reads constructor metadata, so these three
 * functions over a WeakMap are all it needs. Imported before @peculiar/x509, once.
 */
type Store = Map<unknown, unknown>;

interface ReflectWithMetadata {
  getMetadata?: (key: unknown, target: object) => unknown;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
}

const reflect = Reflect as unknown as ReflectWithMetadata;

if (typeof reflect.getMetadata !== 'function') {
  const metadata = new WeakMap<object, Store>();
  const own = (target: object): Store | undefined => metadata.get(target);
  reflect.getOwnMetadata = (key, target) => own(target)?.get(key);
  reflect.getMetadata = (key, target) => {
    // Walk the prototype chain, as reflect-metadata does.
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const m = own(t);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  reflect.defineMetadata = (key, value, target) => {
    let m = own(target);
    if (!m) metadata.set(target, (m = new Map()));
    m.set(key, value);
  };
}

export {};
