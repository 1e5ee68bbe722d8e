/**
 * Container images in configuration: reference strings, `{registry,
 * repository, tag}` objects, registry overrides and operator settings.
 *
 * Pure: values in, image references or registry hosts out.
 */

/** What a key says its value is. */
export type ImageKeyRole = 'image' | 'image-like' | 'registry' | 'namespace';

/**
 * An image reference as Docker's reference grammar (`distribution/reference`)
 * reads it: `[host[:port]/]path[:tag][@digest]`, path components lower case.
 */
const IMAGE_REFERENCE = new RegExp([
  '^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\\d+)?/)?',
  '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*',
  '(?::[\\w][\\w.-]{0,127})?(?:@[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,})?$',
].join(''));
/** A registry: `host[:port][/path]`, where the host has a dot or a port, or is `localhost`. */
const REGISTRY = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?::\d+)?|localhost(?::\d+)?|[a-z0-9-]+:\d+)(?:\/[a-z0-9._-]+)*\/?$/i;
/** Words after `image` that still name the whole reference. */
const REFERENCE_WORDS = new Set(['name', 'ref', 'reference', 'repository', 'repo', 'uri', 'url']);

/** True when the text is a Docker image reference. */
export function isImageReference(text: string): boolean {
  return text.length <= 512 && IMAGE_REFERENCE.test(text);
}

/** True when the text is a registry host, optionally with a port and a path. */
export function isRegistry(text: string): boolean {
  return text.length <= 512 && REGISTRY.test(text);
}

/**
 * A registry as a registry placement's target: without trailing slashes,
 * except that `host:port` keeps one (`host:port/`), so that it is read as a
 * registry and not as an image `host` with tag `port` on Docker Hub.
 */
export function registryTarget(registry: string): string {
  const trimmed = registry.replace(/\/+$/, '');
  return !trimmed.includes('/') && trimmed.includes(':') ? `${trimmed}/` : trimmed;
}

/** The words of a key: `operatorImageName` → operator, image, name; `RELATED_IMAGE_PG` → related, image, pg. */
export function keyWords(key: string): readonly string[] {
  let words = KEY_WORDS.get(key);
  if (!words) {
    words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w.toLowerCase());
    if (KEY_WORDS.size > 10_000) KEY_WORDS.clear();
    KEY_WORDS.set(key, words);
  }
  return words;
}

/** Keys repeat across a configuration; their words are computed once. */
const KEY_WORDS = new Map<string, readonly string[]>();

/** Words after `image` that name a part or a setting of an image, not the image. */
const PART_WORDS = new Set([
  'tag', 'tags', 'digest', 'version', 'pull', 'policy', 'secret', 'secrets', 'credentials', 'size', 'age', 'percent',
  'threshold', 'format', 'count', 'fs', 'gc', 'path', 'dir', 'file', 'id',
]);

/**
 * What a key says about its value, by its words (case and separators
 * ignored):
 *
 * - `image` (or `images`) followed by nothing or one of name, ref, reference,
 *   repository, repo, uri, url (`image`, `sidecarImage`, `imageName`,
 *   `operatorImageName`, `POSTGRES_IMAGE_NAME`, `KEY_IMAGE`), or any
 *   `RELATED_IMAGE_*` key (the Operator Lifecycle Manager convention):
 *   an image reference;
 * - `image` followed by `registry` (`imageRegistry`), or the key `registry`:
 *   a registry; `image` followed by `namespace`: a registry path
 *   (cert-manager's `imageNamespace`);
 * - `image` followed by a part or setting word ({@link PART_WORDS}:
 *   `imageTag`, `imagePullPolicy`, `imagePullSecrets`, `imageGCHighThresholdPercent`):
 *   nothing about images — read as any value;
 * - `image` followed by other words (`imageFull`, `IMAGE_FOR_JOBS`):
 *   `image-like` — an image reference when the value has a registry, tag or
 *   digest (a `/`, `:` or `@`), since a bare word there may be anything.
 */
export function imageKeyRole(key: string): ImageKeyRole | undefined {
  const words = keyWords(key);
  if (words.length === 1 && words[0] === 'registry') return 'registry';
  const last = Math.max(words.lastIndexOf('image'), words.lastIndexOf('images'));
  if (last < 0) return undefined;
  if (words[0] === 'related' && words[1] === 'image') return 'image';
  const tail = words.slice(last + 1);
  if (tail.length === 0 || (tail.length === 1 && REFERENCE_WORDS.has(tail[0]))) return 'image';
  if (tail.length === 1 && tail[0] === 'registry') return 'registry';
  if (tail.length === 1 && tail[0] === 'namespace') return 'namespace';
  if (tail.some((w) => PART_WORDS.has(w) || w === 'registry' || w === 'namespace')) return undefined;
  return 'image-like';
}

/** True when a value under a key of the given role is an image reference. */
export function isImageUnder(role: ImageKeyRole | undefined, text: string): boolean {
  if (role === 'image') return isImageReference(text);
  if (role === 'image-like') return /[/:@]/.test(text) && isImageReference(text);
  return false;
}

/** An image found in an object, and the keys whose values it consumed. */
export interface ObjectImage {
  /** An image reference, or a registry (`host[/path]`) when the object names only a registry. */
  readonly target: string;
  readonly consumed: readonly string[];
}

/**
 * Images an object describes by its parts:
 *
 * - `{registry?, repository, tag?|digest?}` when `repository` is an image
 *   reference and the object has `tag`, `digest`, `registry` or `pullPolicy`,
 *   or sits under a key that holds an image: `registry/repository`; under
 *   such a key, `name` stands for `repository` (docker-mailserver's
 *   `image: {name, tag?}`);
 * - under a key that holds an image, `{registry}` without a repository (a
 *   global override such as `global.image.registry`): the registry;
 * - `{imageRegistry, imageNamespace}` together: `imageRegistry/imageNamespace`
 *   (the two are consumed, so the namespace is not read as a registry);
 * - `{name, value}` where `name` holds an image by {@link imageKeyRole}
 *   (`RELATED_IMAGE_*`, `POSTGRES_IMAGE_NAME` env entries) and `value` is a
 *   reference: the value.
 */
export function imagesInObject(value: Record<string, unknown>, parentKey: string): ObjectImage[] {
  const images: ObjectImage[] = [];
  const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : undefined);
  const underImage = imageKeyRole(parentKey) === 'image';
  const registry = text('registry');
  const partsOfImage = ['tag', 'digest', 'registry', 'pullPolicy'].some((k) => k in value);
  const repositoryKey = ['repository', ...(underImage ? ['name'] : [])].find((k) => {
    const part = text(k);
    return part !== undefined && isImageReference(part);
  });
  const repository = repositoryKey ? text(repositoryKey) : undefined;
  if (repositoryKey && repository !== undefined && (underImage || partsOfImage)) {
    const target = registry ? `${registry.replace(/\/+$/, '')}/${repository}` : repository;
    images.push({ target, consumed: registry !== undefined ? [repositoryKey, 'registry'] : [repositoryKey] });
  } else if (underImage && registry !== undefined && isRegistry(registry)) {
    images.push({ target: registryTarget(registry), consumed: ['registry'] });
  }
  const registryKey = Object.keys(value).find((k) => imageKeyRole(k) === 'registry' && k !== 'registry');
  const namespaceKey = Object.keys(value).find((k) => imageKeyRole(k) === 'namespace');
  const imageRegistry = registryKey ? text(registryKey) : undefined;
  const imageNamespace = namespaceKey ? text(namespaceKey) : undefined;
  if (registryKey && namespaceKey && imageRegistry && imageNamespace && isRegistry(imageRegistry)) {
    images.push({ target: `${imageRegistry.replace(/\/+$/, '')}/${imageNamespace.replace(/^\/+/, '')}`, consumed: [registryKey, namespaceKey] });
  }
  const name = text('name');
  const entryValue = text('value');
  if (name !== undefined && entryValue !== undefined && isImageUnder(imageKeyRole(name), entryValue)) {
    images.push({ target: entryValue, consumed: ['value'] });
  }
  return images;
}
