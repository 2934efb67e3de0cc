import { tracingConfigured } from './start';

describe('tracingConfigured', () => {
  it('is off without an exporter or endpoint, so a service without OTEL_* loads no SDK', () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_SERVICE_NAME: 'order-service' })).toBe(false);
    expect(tracingConfigured({ OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
  });

  it('is on for a named exporter or an exporter endpoint', () => {
    expect(tracingConfigured({ OTEL_TRACES_EXPORTER: 'zipkin' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://127.0.0.1:9411/api/v2/spans' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
  });

  it('stays off when OTEL_SDK_DISABLED is true, whatever else is set', () => {
    expect(tracingConfigured({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'zipkin' })).toBe(false);
  });
});
