export interface BeforeBuildContext {
  platform: { nodeName: NodeJS.Platform };
  arch: string;
  electronVersion?: string;
}
/** Resolves false when it made the Electron build itself (electron-builder then skips its rebuild). */
export default function beforeBuild(context: BeforeBuildContext): Promise<boolean>;
