// Building the course's app image and making it available to the cluster: `docker build` then
// `kind load docker-image` on kind; `practice load-image` on the practice cluster (which runs no
// containers, so nothing is built). Each wait shows a spinner with elapsed time.
import { dockerBuild } from '../docker.js';
import { UserError } from '../errors.js';
import type { Backend, BackendEnv } from './types.js';

/** buildAndLoadImage builds IMAGE from DIR (kind, context) and loads it into the cluster. */
export async function buildAndLoadImage(
  env: BackendEnv,
  backend: Backend,
  image: string,
  dir: string,
): Promise<void> {
  if (backend.name !== 'practice') {
    const spinner = env.ui.spinner();
    spinner.start(env.t('backends.image.building', { image }));
    const built = await dockerBuild(env.runner, image, dir);
    if (built.exitCode !== 0) {
      spinner.stop(env.t('backends.image.buildFailed', { image }), false);
      const tail = (built.stderr || built.stdout).trim().split('\n').slice(-3).join('\n');
      throw new UserError(
        env.t('backends.image.buildFailed.detail', { image, output: tail }),
        env.t('backends.image.buildFailed.fix'),
      );
    }
    spinner.stop(env.t('backends.image.built', { image }));
  }
  const spinner = env.ui.spinner();
  spinner.start(env.t('backends.image.loading', { image, context: backend.context }));
  try {
    await backend.loadImage(env, image);
  } catch (err) {
    spinner.stop(env.t('backends.image.loadFailed', { image }), false);
    throw err;
  }
  spinner.stop(env.t('backends.image.loaded', { image }));
}
