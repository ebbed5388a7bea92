#!/usr/bin/env node
import { startServer } from './start-server.js';

await startServer();
