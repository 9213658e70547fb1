import type { CommandContext, MutatingVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import type { BundleType, UploadInput } from '../../src/workflows/rollout/upload.js';

function input(ctx: CommandContext): UploadInput {
  const fl = ctx.flags as { name: string; version: string; type?: BundleType };
  const name = fl.name.trim();
  const version = fl.version.trim();
  if (name === '' || version === '') throw new UsageError('--name and --version must not be empty');
  return { bundle: String(ctx.args.bundle), name, version, type: fl.type ?? 'os' };
}

export const upload: MutatingVerb = {
  name: 'upload',
  summary: 'Upload an update bundle: software module, artifact (sha256 checked), distribution set',
  description: 'Creates the software module <name>:<version> of --type (os or application), uploads the bundle as its artifact (multipart, streamed; sha256 computed locally, sent to hawkBit and compared with what hawkBit stored) and creates the distribution set <name>:<version> holding it. Idempotent on name+version: the same bundle again reuses what exists and writes nothing; a different bundle under an existing name+version is refused (exit 5). A missing or empty bundle file is exit 2 before any request.',
  args: [{ name: 'bundle', description: 'the update file (e.g. a RAUC bundle)', required: true, complete: 'files' }],
  flags: [
    { flags: '--name <name>', description: 'software module and distribution set name', required: true },
    // Not `--version`: the global -V/--version of cdm takes that flag anywhere on the command line.
    { flags: '--version <version>', description: 'their version (the release version)', required: true },
    { flags: '--type <type>', description: 'os (default) or application', choices: ['os', 'application'] },
  ],
  examples: [
    { command: 'cdm rollout upload cdm-os-1.1.0.raucb --name cdm-os --version 1.1.0', description: 'an OS bundle' },
    { command: 'cdm rollout upload app.tar --name agent --version 2.3.0 --type application -o json', description: 'an application, result as data' },
  ],
  mutates: true,
  async plan(ctx) {
    const i = input(ctx);
    const { checkBundle, sha256File, DS_TYPE } = await import('../../src/workflows/rollout/upload.js');
    const { size } = await checkBundle(i.bundle);
    const sha256 = await sha256File(i.bundle);
    return {
      summary: `upload ${i.bundle} as ${i.name}:${i.version} (${i.type})`,
      steps: [
        { action: 'find or create', target: `software module ${i.name}:${i.version} (type ${i.type})`, service: 'hawkbit' },
        { action: 'upload', target: `artifact ${i.bundle}`, service: 'hawkbit', details: { size, sha256 } },
        { action: 'find or create', target: `distribution set ${i.name}:${i.version} (type ${DS_TYPE[i.type]})`, service: 'hawkbit' },
      ],
    };
  },
  async run(ctx) {
    const { uploadBundle } = await import('../../src/workflows/rollout/upload.js');
    const r = await uploadBundle(ctx.f, input(ctx));
    await ctx.f.output().item('Upload', r, [
      { header: 'Distribution set', value: (x) => `${x.name}:${x.version} (id ${x.distributionSetId}, ${x.distributionSet})` },
      { header: 'Software module', value: (x) => `id ${x.softwareModuleId} (${x.softwareModule})` },
      { header: 'Artifact', value: (x) => `${x.file} id ${x.artifactId} (${x.artifact})` },
      { header: 'Size', value: (x) => x.size },
      { header: 'SHA-256', value: (x) => x.sha256 },
    ]);
  },
};
