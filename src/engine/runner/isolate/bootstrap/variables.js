// n8n's variables, built alike for expressions and Code nodes: `$input`, `$('Node')`, the legacy `$node["Name"]`,
// `$env`'s refusal, and one builder per name an expression can use ($json, $now, DateTime...). Separate from the
// parts that use them (expressions.js evaluates with these builders, code-node.js defines globals from them), so
// both read the run through the same functions.
__bootstrapPart('variables', (shared) => {
  const { state, useLuxon, fail, host } = shared;

  function makeInput(items) {
    return {
      all: () => items,
      first: () => items[0],
      last: () => items[items.length - 1],
      get item() {
        return items[state.call.itemIndex];
      },
      itemMatching: (index) => items[index],
      get params() {
        return host('parameters');
      },
      get context() {
        return {};
      },
    };
  }

  function makeNodeAccessor(name) {
    if (typeof name !== 'string') throw fail(new Error('$() needs a node name, e.g. $("Webhook")'));
    return {
      all: (branch, run) => host('node.all', name, branch, run),
      first: (branch, run) => host('node.first', name, branch, run),
      last: (branch, run) => host('node.last', name, branch, run),
      get item() {
        return host('node.item', name);
      },
      itemMatching: (index) => host('node.itemMatching', name, index),
      pairedItem: (index) => host('node.itemMatching', name, index === undefined ? state.call.itemIndex : index),
      get params() {
        return host('node.params', name);
      },
      // A property in n8n (`$if($("X").isExecuted, …)`), not a method.
      get isExecuted() {
        return host('node.isExecuted', name);
      },
    };
  }

  // n8n's legacy $node["Name"]: the item at the same index of the output that leads here (not paired items).
  function makeNodeProxy(name) {
    const sameIndex = () => host('node.sameIndex', name);
    return {
      get json() {
        const item = sameIndex();
        return item ? item.json : undefined;
      },
      get binary() {
        const item = sameIndex();
        return item ? item.binary : undefined;
      },
      get parameter() {
        return host('node.params', name);
      },
      get data() {
        const item = sameIndex();
        return item ? item.json : undefined;
      },
    };
  }

  const nodeProxies = () =>
    new Proxy({}, { get: (_, name) => (typeof name === 'string' ? makeNodeProxy(name) : undefined), has: () => true });

  const envDenied = () => {
    throw fail(
      Object.assign(new Error('access to env vars denied'), {
        description: 'Environment variables are not available to workflows (N8N_BLOCK_ENV_ACCESS_IN_NODE).',
      }),
    );
  };

  const now = () => useLuxon().DateTime.fromMillis(state.call.meta.now, { zone: state.call.meta.timezone });

  // Expressions build only the names they use, so `$json.x` costs no lookup.
  const BUILDERS = {
    $json: () => state.call.items[state.call.itemIndex]?.json ?? {},
    $binary: () => state.call.items[state.call.itemIndex]?.binary ?? {},
    $input: () => makeInput(state.call.items),
    $: () => makeNodeAccessor,
    $node: nodeProxies,
    $items: () => (name) => (name === undefined ? state.call.items : host('node.all', name)),
    $now: now,
    $today: () => now().startOf('day'),
    $workflow: () => state.call.meta.workflow,
    $execution: () => state.call.meta.execution,
    $vars: () => state.call.meta.vars,
    $env: () => (state.call.meta.envAllowed ? host('env') : envDenied()),
    $itemIndex: () => state.call.itemIndex,
    $runIndex: () => state.call.meta.runIndex,
    $position: () => state.call.itemIndex,
    $parameter: () => host('parameters'),
    $prevNode: () => host('prevNode'),
    DateTime: () => useLuxon().DateTime,
    Duration: () => useLuxon().Duration,
    Interval: () => useLuxon().Interval,
  };

  return { makeInput, makeNodeAccessor, nodeProxies, envDenied, BUILDERS };
});
