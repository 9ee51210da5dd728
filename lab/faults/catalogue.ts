// The fault catalogue: every fault by name, read by the fault CLI, the supervisor, the drivers, the console and the
// docs test. Adding a fault is one file beside this one, one line here, and its test.
import { blackhole } from './blackhole.ts';
import { crash } from './crash.ts';
import { drain } from './drain.ts';
import { failover } from './failover.ts';
import type { Fault } from './fault.ts';
import { heal } from './heal.ts';
import { pause } from './pause.ts';
import { restart } from './restart.ts';
import { resume } from './resume.ts';
import { scaleIn } from './scale-in.ts';
import { scaleOut } from './scale-out.ts';
import { slow } from './slow.ts';
import { stall } from './stall.ts';
import { start } from './start.ts';
import { stop } from './stop.ts';
import { unblackhole } from './unblackhole.ts';
import { undrain } from './undrain.ts';

/** Every fault, by name, in the order the CLI's usage and the docs list them. */
export const faultCatalogue: ReadonlyMap<string, Fault> = new Map(
  [
    crash,
    stop,
    start,
    restart,
    pause,
    resume,
    drain,
    undrain,
    scaleOut,
    scaleIn,
    blackhole,
    unblackhole,
    failover,
    slow,
    stall,
    heal,
  ].map((fault) => [fault.name, fault]),
);
