#!/usr/bin/env node
// The bin is this committed file, not dist/cli.mjs itself: npm links (and makes executable) a
// workspace's bin at `npm ci`, before the build has written dist/.
import '../dist/cli.mjs';
