/// <reference lib="dom" />
// report/player/main — the entry of dist/bundles/player.js (scripts/bundle.mjs ENTRIES).
import { readJsonBlock } from './view.js';

readJsonBlock('player-data');
