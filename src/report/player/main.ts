/// <reference lib="dom" />
// report/player/main — the entry of dist/bundles/player.js (scripts/bundle.mjs ENTRIES): reads the
// page's data block and mounts the player.
import type { PlayerData } from './data.js';
import { PlayerTimeline } from './state.js';
import { mountPlayer, type PlayerHandle } from './ui.js';
import { readJsonBlock } from './view.js';

declare global {
  interface Window {
    /** the mounted player (seek, current time), for tests and the console */
    zksimPlayer?: PlayerHandle;
  }
}

const root = document.getElementById('player');
if (root) window.zksimPlayer = mountPlayer(root, new PlayerTimeline(readJsonBlock<PlayerData>('player-data')));
