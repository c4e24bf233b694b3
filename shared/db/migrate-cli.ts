import { loadConfig } from '../config/index.js';
import { createLogger } from '../logger.js';
import { migrate } from './migrate.js';

const config = loadConfig();
await migrate(config.databaseUrl, createLogger(config.logLevel, 'migrate'));
