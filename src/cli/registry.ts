// The command table. It holds only what help and argument parsing need; each command's code is
// loaded lazily by `load`, so `k8s-learn --help` imports nothing heavy. A command appears here only
// when it exists: later parts add their rows (doctor, practice, check, init, alerts).
import type { GlobalOptions } from './options.js';

/** OptionSpec is one command-line flag in node:util parseArgs form, plus its help line. */
export interface OptionSpec {
  type: 'boolean' | 'string';
  short?: string;
  multiple?: boolean;
  /** Shown in help after the flag, e.g. `DIR` for `--dir DIR`. */
  value?: string;
  description: string;
}

/** CommandArgs is what a command receives: global options, its own flags and positionals. */
export interface CommandArgs {
  global: GlobalOptions;
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export type CommandRun = (args: CommandArgs) => Promise<number>;

export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage after `k8s-learn` and any parent command, e.g. `verify [STEP]`, `check [DIR]`. */
  usage: string;
  /** Longer help text (optional). */
  details?: string;
  options?: Record<string, OptionSpec>;
  /** Highest number of positionals accepted (default 0). */
  maxPositionals?: number;
  subcommands?: CommandSpec[];
  load?: () => Promise<{ run: CommandRun }>;
}

export const commands: CommandSpec[] = [
  {
    name: 'start',
    summary: 'start or resume the course (interactive; --yes runs it unattended)',
    usage: 'start',
    load: () => import('../commands/start.js'),
  },
  {
    name: 'list',
    summary: 'lessons and steps, marked done / current / todo',
    usage: 'list',
    load: () => import('../commands/list.js'),
  },
  {
    name: 'status',
    summary: 'progress, backend, context and workspace',
    usage: 'status [--json]',
    options: { json: { type: 'boolean', description: 'print machine-readable JSON' } },
    load: () => import('../commands/status.js'),
  },
  {
    name: 'verify',
    summary: 'verify one step (default: the current one); exit 1 when it fails',
    usage: 'verify [STEP]',
    maxPositionals: 1,
    load: () => import('../commands/verify.js'),
  },
  {
    name: 'hint',
    summary: 'show the next hint for a step (each call reveals one more)',
    usage: 'hint [STEP]',
    maxPositionals: 1,
    load: () => import('../commands/hint.js'),
  },
  {
    name: 'solve',
    summary: "bring the cluster and files to the step's verified state",
    usage: 'solve STEP',
    maxPositionals: 1,
    load: () => import('../commands/solve.js'),
  },
  {
    name: 'reset',
    summary: "forget one step's progress, restore its files and put the cluster back as the step found it",
    usage: 'reset [STEP | --all]',
    details:
      'reset STEP also offers to put the cluster back as the step found it: objects made since in the\n' +
      "course's namespace are deleted, replicas, images and mounted ConfigMaps of its Deployments restored.\n" +
      'Later steps whose cluster work is undone are marked to do again. It shows the list first and asks;\n' +
      '--yes accepts, --dry-run only shows. Nothing outside the course namespace is touched.\n' +
      'reset --all forgets all progress (the file is kept as .bak), lists what stays (your files, the\n' +
      "course's cluster objects) and offers to remove the cluster objects; your files are never deleted.",
    maxPositionals: 1,
    options: { all: { type: 'boolean', description: 'reset the whole course' } },
    load: () => import('../commands/reset.js'),
  },
  {
    name: 'check',
    summary: 'check Kubernetes manifests offline and explain each problem (before kubectl apply)',
    usage: 'check PATH… [--format text|json] [--strict]',
    details:
      "PATH is a file, a directory (searched for *.yaml and *.yml) or '-' for stdin.\n" +
      'Exit 0 when clean, 1 when an error (or with --strict a warning) was found, 2 for unreadable input.\n' +
      'Rules: docs/rules.md.',
    maxPositionals: 10_000,
    options: {
      format: { type: 'string', value: 'FORMAT', description: 'text (default) or json' },
      strict: { type: 'boolean', description: 'fail on warnings too' },
    },
    load: () => import('../commands/check.js'),
  },
  {
    name: 'init',
    summary:
      'a starter project laid out as the course teaches, up on kind (or the practice cluster) with `npm run up`',
    usage:
      'init [DIR] [--name N] [--namespace NS] [--template node|python] [--port P] [--replicas R] [--hpa|--no-hpa] [--ingress|--no-ingress] [--cluster-name C] [--from-course] [--force]',
    details:
      'Each value comes from its flag, else (with --yes) its default, else a prompt.\n' +
      'A non-empty DIR is refused unless --force; even then nothing is deleted, and a file init did not write\n' +
      'is replaced only after its diff is shown and you agree (with --yes it is kept).\n' +
      '--dry-run prints the tree and every file and writes nothing. --from-course seeds the names, namespace\n' +
      'and config from your course workspace (--dir).',
    maxPositionals: 1,
    options: {
      name: {
        type: 'string',
        value: 'N',
        description: 'app name: Deployment, Service, image (default: from DIR)',
      },
      namespace: { type: 'string', value: 'NS', description: 'namespace (default: the app name)' },
      template: { type: 'string', value: 'T', description: 'node (default) or python' },
      port: { type: 'string', value: 'P', description: 'port the app listens on (default 8080)' },
      replicas: {
        type: 'string',
        value: 'R',
        description: 'replicas, the minimum with an autoscaler (default 2)',
      },
      hpa: { type: 'boolean', description: 'add a HorizontalPodAutoscaler (default)' },
      'no-hpa': { type: 'boolean', description: 'no HorizontalPodAutoscaler' },
      ingress: { type: 'boolean', description: 'add an Ingress and map port 80 in kind-config.yaml' },
      'no-ingress': { type: 'boolean', description: 'no Ingress (default)' },
      'cluster-name': {
        type: 'string',
        value: 'C',
        description: 'kind cluster name (default: the app name)',
      },
      'from-course': {
        type: 'boolean',
        description: 'seed names, namespace and config from the course workspace',
      },
      force: {
        type: 'boolean',
        description: 'write into a non-empty DIR (never deletes; keeps your changed files)',
      },
    },
    load: () => import('../commands/init.js'),
  },
  {
    name: 'course',
    summary: 'tools for course authors',
    usage: 'course <command>',
    subcommands: [
      {
        name: 'check',
        summary: 'validate a course: schema, templates render, every step has verify and solve',
        usage: 'check [DIR]',
        maxPositionals: 1,
        load: () => import('../commands/course-check.js'),
      },
    ],
  },
  {
    name: 'doctor',
    summary:
      'check this machine for the chosen --cluster backend (docker, kind, kubectl); exit 1 if it cannot work',
    usage: 'doctor [--json]',
    options: { json: { type: 'boolean', description: 'print machine-readable JSON (workshop pre-checks)' } },
    load: () => import('../commands/doctor.js'),
  },
  {
    name: 'alerts',
    summary:
      "what is unhealthy in the course's cluster, what it means and how to fix it; exit 1 while any is active",
    usage: 'alerts [-n NS] [--watch] [--json]',
    options: {
      namespace: {
        type: 'string',
        short: 'n',
        value: 'NS',
        description: 'one namespace (default: all namespaces)',
      },
      watch: { type: 'boolean', description: 'keep watching and print changes (Ctrl-C to stop)' },
      json: { type: 'boolean', description: 'print machine-readable JSON' },
    },
    load: () => import('../commands/alerts.js'),
  },
  {
    name: 'load',
    summary: 'send CPU load through a Service and watch the autoscaler react, live (Ctrl-C stops)',
    usage: 'load svc/NAME [-n NS] [--duration 90s]',
    details:
      "Requests go through the API server's service proxy (kubectl proxy, pinned to the course's context; no pod is created), each asking the course app for N ms of CPU (/burn?ms=N), sized so the app is asked for --cpu in total. The view shows the HorizontalPodAutoscaler's replicas and CPU against its target; after the load it keeps watching until the HPA is back at its minimum (--settle). Plain lines when stdout is not a terminal or with --yes. Exit codes: 0 requests were answered, 1 none was (or the Service is missing), 2 bad arguments, 130 Ctrl-C.",
    maxPositionals: 1,
    options: {
      namespace: {
        type: 'string',
        short: 'n',
        value: 'NS',
        description: "the Service's namespace (default: default)",
      },
      duration: {
        type: 'string',
        value: 'TIME',
        description: 'how long to send load, e.g. 90s, 2m (default 90s)',
      },
      settle: {
        type: 'string',
        value: 'TIME',
        description:
          'how long to keep watching for the scale-down after the load (default 180s; 0 to stop at once)',
      },
      cpu: {
        type: 'string',
        value: 'CPU',
        description: 'CPU asked of the app in total, e.g. 250m (default)',
      },
      rate: { type: 'string', value: 'N', description: 'requests per second (default 5; 20 with --fast)' },
      hpa: {
        type: 'string',
        value: 'NAME',
        description: 'the HPA to show (default: the one scaling NAME, or the only one)',
      },
      fast: {
        type: 'boolean',
        description:
          'practice cluster only: run its autoscaling clock 50x faster for this run (times are cluster seconds); a real cluster keeps real time',
      },
    },
    load: () => import('../commands/load.js'),
  },
  {
    name: 'balance',
    summary:
      'send requests through a Service and watch which pod answers each: a live table of their shares; exit 1 unless every ready pod answered',
    usage: 'balance svc/NAME [-n NS] [--requests N] [--port P] [--path /P] [--interval MS]',
    details:
      "Requests go through the API server's service proxy (kubectl get --raw /api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH),\n" +
      "pinned to the course's cluster. On a terminal the table updates as answers arrive; elsewhere (a pipe, --yes)\n" +
      'it prints one line per answer, then the table. Exit codes: 0 every ready pod answered, 1 not, 2 usage, 130 Ctrl-C.',
    maxPositionals: 1,
    options: {
      namespace: {
        type: 'string',
        short: 'n',
        value: 'NS',
        description: "the Service's namespace (default: default)",
      },
      requests: { type: 'string', value: 'N', description: 'how many requests (default 30, at most 1000)' },
      port: {
        type: 'string',
        value: 'P',
        description: "the Service port's name or number (default: its first port)",
      },
      path: { type: 'string', value: '/P', description: 'the path to request (default /)' },
      interval: {
        type: 'string',
        value: 'MS',
        description: 'pause after each answer, in milliseconds, to watch it slowly (default 0)',
      },
    },
    load: () => import('../commands/balance.js'),
  },
  {
    name: 'tree',
    summary:
      'everything in a namespace of the course cluster, as a tree by owner (Deployment → ReplicaSet → Pod …)',
    usage: 'tree [-n NS] [--json]',
    options: {
      namespace: {
        type: 'string',
        short: 'n',
        value: 'NS',
        description: 'the namespace (default: the workshop namespace, else default)',
      },
      json: { type: 'boolean', description: 'print machine-readable JSON' },
    },
    load: () => import('../commands/tree.js'),
  },
  {
    name: 'cleanup',
    summary: "delete the course's kind cluster (or stop the practice cluster), after confirmation",
    usage: 'cleanup',
    load: () => import('../commands/cleanup.js'),
  },
  {
    name: 'workshop',
    summary:
      "facilitators: one shared cluster, a fenced namespace per learner, and a live view of everyone's step",
    usage: 'workshop <command>',
    details:
      'Guide: docs/workshop.md. Learners run `npx k8s-learn --kubeconfig FILE` with the file provision wrote.',
    subcommands: [
      {
        name: 'provision',
        summary:
          'per learner: a namespace, a credential that can touch nothing else, a kubeconfig file, a handout',
        usage: 'provision --context NAME --learners N [--prefix P] [--out DIR] [--quota Q] [--duration D]',
        details:
          'Idempotent: re-running adds missing learners and changes nothing else. --dry-run prints every object.\n' +
          'Writes DIR/<learner>.kubeconfig (mode 0600), DIR/handout.md and DIR/handout.html.',
        options: {
          context: {
            type: 'string',
            value: 'NAME',
            description: "the workshop cluster's context (required)",
          },
          learners: { type: 'string', value: 'N', description: 'how many learners (default 1)' },
          prefix: {
            type: 'string',
            value: 'P',
            description: 'learner and namespace names: P01, P02, … (default learner-)',
          },
          out: {
            type: 'string',
            value: 'DIR',
            description: 'where kubeconfig files and handouts go (default ./workshop)',
          },
          quota: {
            type: 'string',
            value: 'Q',
            description: 'ResourceQuota per learner (default cpu=2,memory=2Gi,pods=20; none for no quota)',
          },
          duration: {
            type: 'string',
            value: 'D',
            description: 'how long the learner tokens work (default 8h)',
          },
          server: {
            type: 'string',
            value: 'URL',
            description: "the API server address learners use (default: the context's)",
          },
        },
        load: () => import('../commands/workshop-provision.js'),
      },
      {
        name: 'status',
        summary: 'one row per learner: lesson, step, attempts, hints, stuck for how long, last failure',
        usage: 'status --context NAME [--watch] [--json]',
        options: {
          context: {
            type: 'string',
            value: 'NAME',
            description: "the workshop cluster's context (required)",
          },
          watch: { type: 'boolean', description: 'redraw live (Ctrl-C to stop)' },
          json: {
            type: 'boolean',
            description: 'print machine-readable JSON (one line per change with --watch)',
          },
        },
        load: () => import('../commands/workshop-status.js'),
      },
      {
        name: 'dashboard',
        summary: 'the same, live in a browser on 127.0.0.1 (read-only)',
        usage: 'dashboard --context NAME [--port 8080]',
        options: {
          context: {
            type: 'string',
            value: 'NAME',
            description: "the workshop cluster's context (required)",
          },
          port: {
            type: 'string',
            value: 'N',
            description: 'port on 127.0.0.1 (default 8080; 0 picks a free one)',
          },
        },
        load: () => import('../commands/workshop-dashboard.js'),
      },
      {
        name: 'teardown',
        summary: 'delete every object provision made (found by its label) and nothing else, after asking',
        usage: 'teardown --context NAME [--yes]',
        options: {
          context: {
            type: 'string',
            value: 'NAME',
            description: "the workshop cluster's context (required)",
          },
        },
        load: () => import('../commands/workshop-teardown.js'),
      },
    ],
  },
  {
    name: 'practice',
    summary: 'a local simulated Kubernetes API server for kubectl (no Docker needed; runs no containers)',
    usage: 'practice <command>',
    subcommands: [
      {
        name: 'start',
        summary: 'start the practice cluster in the background and add the k8s-learn-practice context',
        usage: 'start [--port N] [--nodes N] [--fresh]',
        options: {
          port: { type: 'string', value: 'N', description: 'port on 127.0.0.1 (default: any free port)' },
          nodes: {
            type: 'string',
            value: 'N',
            description: 'worker nodes besides the control plane (default 2)',
          },
          fresh: { type: 'boolean', description: 'start empty: forget the saved objects' },
        },
        load: () => import('../commands/practice-start.js'),
      },
      {
        name: 'stop',
        summary: 'stop the practice cluster (objects are kept) and remove its kubectl context',
        usage: 'stop',
        load: () => import('../commands/practice-stop.js'),
      },
      {
        name: 'status',
        summary: 'whether the practice cluster runs, its address and context; exit 1 when stopped',
        usage: 'status [--json]',
        options: { json: { type: 'boolean', description: 'print machine-readable JSON' } },
        load: () => import('../commands/practice-status.js'),
      },
      {
        name: 'load-image',
        summary: 'record an image on the practice nodes (the counterpart of kind load docker-image)',
        usage: 'load-image IMAGE',
        maxPositionals: 1,
        load: () => import('../commands/practice-load-image.js'),
      },
    ],
  },
];

/** findCommand resolves a name (and an optional subcommand name) in a command table. */
export function findCommand(table: CommandSpec[], name: string): CommandSpec | undefined {
  return table.find((c) => c.name === name);
}
