// autocannon ships no types and @types/autocannon is not installed: only what the harness uses.
declare module 'autocannon' {
  function autocannon(options: autocannon.Options): autocannon.Instance;

  namespace autocannon {
    interface Histogram {
      mean: number;
      stddev: number;
      min: number;
      max: number;
      p50: number;
      p90: number;
      p99: number;
    }

    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
    }

    interface Result {
      requests: Histogram & { total: number };
      non2xx: number;
      errors: number;
      timeouts: number;
      statusCodeStats: Record<string, { count: number }>;
      duration: number;
    }

    interface Instance extends PromiseLike<Result> {
      stop(): void;
      /** responseTime in fractional milliseconds. */
      on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): this;
    }
  }

  export = autocannon;
}
