import { writeFileSync } from 'node:fs';
import { CONSOLE_API_TYPES_FILE, consoleApiTypes } from './openapi-types.js';

// Regenerates services/console/src/api/openapi.d.ts from the routes' OpenAPI document (no server, no database).
writeFileSync(CONSOLE_API_TYPES_FILE, await consoleApiTypes());
console.log(`wrote ${CONSOLE_API_TYPES_FILE}`);
