/**
 * Makes sure every role has an image before a run: the configured one if it is here or can be
 * pulled, else (when the user did not choose that image explicitly) the offline stand-in, built
 * if need be. Sets WS_PROXY_BENCH_IMAGE_* for the run so the harness and compose use the result.
 */
import { imageExists, tryPull } from './docker.js';
import { stopwatch } from '../exec.js';
import { chooseImage, IMAGE_ROLES, IMAGE_SPECS, type ImageRole } from './images.js';
import { buildOfflineImages, debootstrapRefusal, offlineImages } from './offline-images.js';

export interface ResolvedImage {
  role: ImageRole;
  image: string;
  how: 'present' | 'pulled' | 'offline stand-in (present)' | 'offline stand-in (built)';
}

export interface ResolveOptions {
  progress?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  pullTimeoutMs?: number;
}

export async function resolveImages({ progress = () => {}, env = process.env, pullTimeoutMs = 60_000 }: ResolveOptions = {}): Promise<ResolvedImage[]> {
  const elapsed = stopwatch();
  const resolved: ResolvedImage[] = [];
  const needOffline: ImageRole[] = [];
  const failures: string[] = [];
  for (const role of IMAGE_ROLES) {
    const choice = chooseImage(role, env);
    if (choice.image === undefined) {
      progress(`${elapsed()} ${role}: no official image; using the offline stand-in`);
      needOffline.push(role);
      continue;
    }
    if (await imageExists(choice.image)) {
      resolved.push({ role, image: choice.image, how: 'present' });
      continue;
    }
    progress(`${elapsed()} ${role}: ${choice.image} is not here; docker pull (up to ${pullTimeoutMs / 1000} s)`);
    const pull = await tryPull(choice.image, pullTimeoutMs);
    if (pull.ok) {
      progress(`${elapsed()} ${role}: pulled ${choice.image}`);
      resolved.push({ role, image: choice.image, how: 'pulled' });
    } else if (choice.source === 'environment') {
      failures.push(`${role}: ${choice.image} (you set ${IMAGE_SPECS[role].envVar}) is not here and the pull failed: ${pull.detail}`);
    } else {
      progress(`${elapsed()} ${role}: pull failed (${pull.detail}); using the offline stand-in`);
      needOffline.push(role);
    }
  }
  if (failures.length > 0) {
    throw new Error(`${failures.join('\n')}\nFix: load or build that image, or unset the variable to fall back to the offline stand-in (\`npm run images:offline\`).`);
  }

  if (needOffline.length > 0) {
    const offline = offlineImages();
    const missing: ImageRole[] = [];
    for (const role of needOffline) if (!(await imageExists(offline[role]))) missing.push(role);
    if (missing.length > 0) {
      const refusal = await debootstrapRefusal();
      if (refusal) {
        throw new Error(
          `no image for ${missing.join(', ')}: the official images cannot be pulled here and the offline stand-ins are not built, ` +
            `and they cannot be built now (${refusal}). Fix: run \`npm run images:offline\` as root on a Debian/Ubuntu machine, or make the official images available.`,
        );
      }
      progress(`${elapsed()} building the offline stand-ins for ${missing.join(', ')}`);
      await buildOfflineImages({ progress });
    }
    for (const role of needOffline) {
      resolved.push({ role, image: offline[role], how: missing.includes(role) ? 'offline stand-in (built)' : 'offline stand-in (present)' });
    }
  }

  resolved.sort((a, b) => IMAGE_ROLES.indexOf(a.role) - IMAGE_ROLES.indexOf(b.role));
  for (const r of resolved) env[IMAGE_SPECS[r.role].envVar] = r.image;
  return resolved;
}
