// Unit test of the latency histogram: plain counters per target, printed as a cumulative Prometheus histogram.
import { describe, expect, it } from 'vitest';
import { ProxyMetrics } from '../../proxy/control/metrics.ts';

describe('proxy_request_duration_seconds', () => {
  it('prints cumulative buckets, sum and count per pool and target', async () => {
    const metrics = new ProxyMetrics();
    const recorder = metrics.latencyRecorder('p', 't1');
    for (const seconds of [0.0005, 0.003, 0.003, 20]) recorder.observe(seconds);
    expect(metrics.latencyRecorder('p', 't1')).toBe(recorder);

    const text = await metrics.registry.metrics();
    expect(text).toContain('# TYPE proxy_request_duration_seconds histogram');
    expect(text).toContain('proxy_request_duration_seconds_bucket{pool="p",target="t1",le="0.001"} 1');
    expect(text).toContain('proxy_request_duration_seconds_bucket{pool="p",target="t1",le="0.0025"} 1');
    expect(text).toContain('proxy_request_duration_seconds_bucket{pool="p",target="t1",le="0.005"} 3');
    expect(text).toContain('proxy_request_duration_seconds_bucket{pool="p",target="t1",le="10"} 3');
    expect(text).toContain('proxy_request_duration_seconds_bucket{pool="p",target="t1",le="+Inf"} 4');
    expect(text).toContain('proxy_request_duration_seconds_sum{pool="p",target="t1"} 20.0065');
    expect(text).toContain('proxy_request_duration_seconds_count{pool="p",target="t1"} 4');
  });
});
