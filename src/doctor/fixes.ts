// How to fix each missing prerequisite, per OS: package-manager commands and the official page.
// Commands are not translated (they are what the user types); the prose around them is.

/** Platform is the OS family a fix is written for. */
export type Platform = 'darwin' | 'linux' | 'win32';

/** Fix is what to type and where to read more. */
export interface Fix {
  commands: string[];
  url: string;
}

/** FixId names a prerequisite problem. */
export type FixId =
  | 'node'
  | 'dockerMissing'
  | 'daemonDown'
  | 'dockerPermission'
  | 'kindMissing'
  | 'kubectlMissing'
  | 'dockerMemory';

const table: Record<FixId, Record<Platform, Fix>> = {
  node: {
    darwin: { commands: ['brew install node@22'], url: 'https://nodejs.org/en/download' },
    linux: {
      commands: ['nvm install 22   # https://github.com/nvm-sh/nvm'],
      url: 'https://nodejs.org/en/download',
    },
    win32: { commands: ['winget install OpenJS.NodeJS.LTS'], url: 'https://nodejs.org/en/download' },
  },
  dockerMissing: {
    darwin: {
      commands: ['brew install --cask docker'],
      url: 'https://docs.docker.com/desktop/setup/install/mac-install/',
    },
    linux: {
      commands: [
        'sudo apt-get install -y docker.io   # Debian/Ubuntu',
        'sudo dnf install -y moby-engine   # Fedora',
      ],
      url: 'https://docs.docker.com/engine/install/',
    },
    win32: {
      commands: ['winget install Docker.DockerDesktop'],
      url: 'https://docs.docker.com/desktop/setup/install/windows-install/',
    },
  },
  daemonDown: {
    darwin: { commands: ['open -a Docker'], url: 'https://docs.docker.com/desktop/' },
    linux: {
      commands: ['sudo systemctl start docker'],
      url: 'https://docs.docker.com/engine/daemon/start/',
    },
    win32: {
      commands: ['Start "Docker Desktop" from the Start menu'],
      url: 'https://docs.docker.com/desktop/',
    },
  },
  dockerPermission: {
    darwin: { commands: ['open -a Docker'], url: 'https://docs.docker.com/desktop/' },
    linux: {
      commands: ['sudo usermod -aG docker $USER', 'newgrp docker'],
      url: 'https://docs.docker.com/engine/install/linux-postinstall/',
    },
    win32: {
      commands: ['Start "Docker Desktop" from the Start menu'],
      url: 'https://docs.docker.com/desktop/',
    },
  },
  dockerMemory: {
    darwin: {
      commands: ['Docker Desktop → Settings → Resources → Memory: 4 GB or more'],
      url: 'https://docs.docker.com/desktop/settings-and-maintenance/settings/',
    },
    linux: {
      commands: ['free -h   # kind uses the host memory directly'],
      url: 'https://kind.sigs.k8s.io/docs/user/known-issues/',
    },
    win32: {
      commands: ['Docker Desktop → Settings → Resources (or .wslconfig memory=4GB)'],
      url: 'https://docs.docker.com/desktop/settings-and-maintenance/settings/',
    },
  },
  kindMissing: {
    darwin: {
      commands: ['brew install kind'],
      url: 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
    },
    linux: {
      commands: [
        'curl -Lo ./kind https://kind.sigs.k8s.io/dl/v0.29.0/kind-linux-amd64',
        'chmod +x ./kind && sudo mv ./kind /usr/local/bin/kind',
      ],
      url: 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
    },
    win32: {
      commands: ['winget install Kubernetes.kind'],
      url: 'https://kind.sigs.k8s.io/docs/user/quick-start/#installation',
    },
  },
  kubectlMissing: {
    darwin: {
      commands: ['brew install kubectl'],
      url: 'https://kubernetes.io/docs/tasks/tools/install-kubectl-macos/',
    },
    linux: {
      commands: ['sudo snap install kubectl --classic'],
      url: 'https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/',
    },
    win32: {
      commands: ['winget install Kubernetes.kubectl'],
      url: 'https://kubernetes.io/docs/tasks/tools/install-kubectl-windows/',
    },
  },
};

/** platformOf maps `process.platform` to the families we write fixes for (others read as linux). */
export function platformOf(platform: NodeJS.Platform): Platform {
  return platform === 'darwin' || platform === 'win32' ? platform : 'linux';
}

/** fixFor returns the fix of a problem on a platform. */
export function fixFor(id: FixId, platform: Platform): Fix {
  return table[id][platform];
}
