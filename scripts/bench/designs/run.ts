// `npm run bench -- --designs`: what each session design costs per request, every process it starts ended at the end.
import { cpus, loadavg } from 'node:os';
import { round } from '../report.ts';
import { type DesignsPlan, measureDesigns } from './measure.ts';
import type { DesignsReport } from './report.ts';
import { startDesignLab } from './shops.ts';

/** Starts the shops, measures every design, and stops them again. */
export async function runDesigns(plan: DesignsPlan, progress: (message: string) => void): Promise<DesignsReport> {
  const loadAverageBefore = loadavg().map((value) => round(value, 2));
  progress('starting Redis and one shop instance per design');
  const lab = await startDesignLab();
  try {
    for (const { label, reason } of lab.skipped) progress(`skipping ${label}: ${reason}`);
    const designs = await measureDesigns(lab, plan, progress);
    return {
      designs,
      skipped: lab.skipped,
      machine: {
        cpus: cpus().length,
        loadAverageBefore,
        loadAverageAfter: loadavg().map((value) => round(value, 2)),
        node: process.version,
      },
      settings: plan,
    };
  } finally {
    await lab.close();
  }
}
