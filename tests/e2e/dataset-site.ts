import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.ts';
import type { TestProject } from '../helpers/pipeline-project.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { removeDir } from '../helpers/temp.ts';
import { createDatasetFixture } from '../integration/dataset-page-fixture.ts';

/** The dataset-page fixture (one dataset, two versions, published by the real runner) on the real server, and Chromium. */
export interface DatasetSite {
  project: TestProject;
  server: TestServer;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startDatasetSite(): Promise<DatasetSite> {
  const project = await createDatasetFixture();
  const server = await startTestServer({ dataDir: project.dataDir, env: project.env() });
  const browser = await launchChromium();
  return {
    project,
    server,
    browser,
    async stop() {
      await browser.close();
      await server.stop();
      removeDir(project.root);
    },
  };
}
