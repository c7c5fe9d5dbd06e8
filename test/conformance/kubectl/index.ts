// The kubectl scenario, area by area in the order it runs: later areas use what earlier
// ones created (the namespace, the web and api deployments, the builder service account).
import { apply } from './apply.js';
import { auth } from './auth.js';
import { create } from './create.js';
import { del } from './delete.js';
import { describe } from './describe.js';
import { discovery } from './discovery.js';
import { get } from './get.js';
import { metadata } from './metadata.js';
import { patch } from './patch.js';
import { pods } from './pods.js';
import { scale } from './scale.js';
import type { Area } from './step.js';
import { workloads } from './workloads.js';

export const KUBECTL_AREAS: readonly Area[] = [discovery, create, apply, get, describe, metadata, patch, scale, auth, pods, workloads, del];
