/** `npm run build`: astro build, recording when it finished so `npm start` knows it is fresh. */
import { build } from './lib/build.ts';
import { runMain } from './lib/fail.ts';

runMain(build);
