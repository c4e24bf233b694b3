// Generated from the API's OpenAPI document by `npm run console:api-types` (scripts/openapi-types.ts): do not edit.
// test/api/openapi-types.test.ts fails when it no longer matches the routes.
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness: the process answers
         * @description 200 while the process runs; it checks nothing else (use /readyz for the dependencies).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Alive */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok" | "degraded" | "unavailable";
                            checks?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: started, and PostgreSQL answers
         * @description 200 when the start is complete (an admin token exists: FLAGSHIP_ADMIN_TOKEN registered, or the first one created and printed) and PostgreSQL answers within a second; 503 naming what is not (`start: starting` until the start is complete). Redis is checked too but never makes the API unready (reads fall back to PostgreSQL): without it the answer is 200 with `status: degraded` and what went wrong under `checks.redis`, so a load balancer keeps every API in rotation while Redis is away.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Ready (`degraded`: Redis does not answer) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok" | "degraded" | "unavailable";
                            checks?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description PostgreSQL does not answer, or the start is not complete */
                503: {
                    headers: {
                        /** @description Seconds to wait before asking again */
                        "Retry-After"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok" | "degraded" | "unavailable";
                            checks?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Prometheus text format: HTTP requests and latency per route, snapshot cache hits, misses and fallbacks to PostgreSQL, open SSE streams per environment, dependency errors by kind, and the process's default metrics (all three services' metrics when they run in one process). Behind `Authorization: Bearer <FLAGSHIP_METRICS_TOKEN>` when that variable is set (401 without it).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Prometheus text exposition format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description FLAGSHIP_METRICS_TOKEN is set and the request does not carry it */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/environments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List environments
         * @description Every environment with its version: the counter every change in it bumps by one. `dev`, `staging` and `prod` are seeded by the first migration.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every environment */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            environments: components["schemas"]["Environment"][];
                        };
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add an environment (every live flag gets a disabled state there)
         * @description Adds an environment. Every live flag gets a state there, disabled at 100%, so the new environment's snapshot lists every flag; each is recorded as a change.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "key": "qa"
                     *     }
                     */
                    "application/json": components["schemas"]["CreateEnvironment"];
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Environment"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description It exists already */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/environments/{env}/relayed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How far the running notifiers have pushed an environment (a deploy gate)
         * @description Each live notifier reports, the moment it relays a version to its sockets, the last version it relayed per environment (a report in Redis that expires a few seconds after the notifier stops refreshing it, so a killed notifier stops counting). `version` is the lowest version every live notifier relayed; once it reaches the version of your change, every connected SDK has been sent it. With `atLeast=<version>` the answer is held until that holds (it is sent within a Redis round trip of the last notifier's report) or `waitMs` passed (default and at most 25000 ms), then says where the relay stands either way: `flagship wait` asks again until its own timeout. 503 while Redis is unreachable.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Hold the answer until every live notifier has relayed this version (or waitMs passed) */
                    atLeast?: string;
                    /** @description How long to hold it, at most 25000 ms (default 25000 with atLeast) */
                    waitMs?: string;
                };
                header?: never;
                path: {
                    env: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The relay */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EnvironmentRelay"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/environments/{env}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Protect an environment: people change it only through approved change requests
         * @description Sets `protected` and `requiredApprovals` (1-10). In a protected environment a direct write by a person (a session or a personal token) is refused with 409 `change_request_required`: propose it with POST /v1/change-requests. Admin tokens (service accounts), ramps, schedules and applied change requests still write, each recorded as what it is. Changing the protection never moves the environment version.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    env: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "protected": true,
                     *       "requiredApprovals": 1
                     *     }
                     */
                    "application/json": components["schemas"]["EnvironmentProtection"];
                };
            };
            responses: {
                /** @description The environment */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Environment"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List projects
         * @description Every project by key (for a person, those they hold a role on). `default` always exists and holds every flag and segment made before projects.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every project */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            projects: components["schemas"]["Project"][];
                        };
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add a project
         * @description Adds a project. Its key is like an environment's (lowercase letters, digits, `_`, `-`) and never changes; `name` defaults to the key. Flags and segments go in it with `project` at creation, or a flag moves there with `PATCH /v1/flags/{key}`.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "key": "web",
                     *       "name": "Web",
                     *       "description": "The web team"
                     *     }
                     */
                    "application/json": components["schemas"]["CreateProject"];
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Project"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description It exists already */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a project
         * @description The project.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The project */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Project"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such project */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete an empty project
         * @description Deletes a project that holds no flag (archived ones included), no segment, and that no live principal names; 409 saying what is left otherwise. `default` cannot be deleted.
         *
         *     A person needs the admin role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The deleted project */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Project"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such project */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not empty (flags, segments or live principals), or `default` */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Edit a project's name or description
         * @description Replaces the name and/or the description. The key never changes (principals and Unleash-format secrets name it).
         *
         *     A person needs the admin role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    key: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "name": "Web storefront"
                     *     }
                     */
                    "application/json": components["schemas"]["UpdateProject"];
                };
            };
            responses: {
                /** @description The project */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Project"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such project */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List flags by key, a page at a time (pass nextAfter back as after); stale=true: only those that look stale, with why
         * @description Flags ordered by key, each with its state in every environment, `limit` at a time (default 50); `project=` only those of one project, `tag=` only those with that tag, `owner=` only those of that owner (all combine). Pass `nextAfter` back as `after` for the next page; it is null on the last. `archived=true` includes archived flags, `only` lists only them. `stale=true` lists only live flags that look stale, each with `staleReasons`: past its type's expected lifetime (release and experiment 40 days, operational 7, kill-switch and permission never), not evaluated in any environment for `staleDays` (default 30), or the same answer for everyone in every environment (100 % or 0 %) unchanged for `staleDays`.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: {
                    limit?: string;
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    after?: string;
                    archived?: "true" | "false" | "only";
                    /** @description Only the flags of this project */
                    project?: string;
                    /** @description true: only live flags that look stale, each with its staleReasons */
                    stale?: "true" | "false";
                    /** @description Only the flags with this tag */
                    tag?: string;
                    /** @description Only the flags this team or person owns (exactly as written) */
                    owner?: string;
                    /** @description With stale=true: how many days without an evaluation, or with the same answer for everyone, make a flag stale (default 30) */
                    staleDays?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of flags */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["FlagPage"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a flag, optionally with its initial state per environment
         * @description Creates a flag with a state in every environment: those given in `environments`, the others disabled at 100% (so switching one on means on for everyone). `project` puts it in a project (default: `default`; 400 when there is no such project). Keys are unique across every project and for ever: an archived flag keeps its key.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "key": "new_ui",
                     *       "description": "The new UI",
                     *       "project": "default",
                     *       "tags": [
                     *         "checkout",
                     *         "team:web"
                     *       ],
                     *       "owner": "web-team",
                     *       "environments": {
                     *         "prod": {
                     *           "enabled": true,
                     *           "rollout": 10
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["CreateFlag"];
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Flag"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A flag with this key exists (archived keys stay taken) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/flags/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a flag with its state in every environment
         * @description The flag, archived or not, with its state in every environment.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The flag */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Flag"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such flag */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Archive a flag: SDKs receive it with archived: true and it leaves every snapshot
         * @description Archives the flag in every environment at once: connected SDKs receive it with `archived: true`, it leaves every snapshot, and its ramps are cancelled. Its key stays taken.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The archived flag */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Flag"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such flag */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Already archived; or an environment is protected and the caller is a person (`change_request_required`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Edit a flag's description, type, tags or owner, or move it to another project
         * @description Replaces the description, the type (release, experiment, operational, kill-switch, permission: it sets the expected lifetime the stale list reads), the tags (the whole list) and/or the owner (`null`: nobody); none is part of any state, so no change event is written and nothing is pushed. `project` moves the flag: a change of its state in every environment (an event each, pushed like any change; apps whose token cannot see the new project receive it as a removal, like an archive). 409 while it uses a segment of another project, depends on a flag of another project, or a live flag of another project depends on it.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    key: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "description": "The new UI, behind a gradual rollout",
                     *       "tags": [
                     *         "checkout"
                     *       ],
                     *       "owner": "payments"
                     *     }
                     */
                    "application/json": components["schemas"]["UpdateFlag"];
                };
            };
            responses: {
                /** @description The flag */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Flag"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such flag */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A move the flag's segments or dependencies tie to its project */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/flags/{key}/metadata-changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who changed a flag's description, type, tags or owner, and when: oldest first; pass nextAfter back as after
         * @description Each change of the flag's own fields (description, type, tags, owner), archived or not: who made it (an actor as in the audit log), the four fields before and after, and when. Such changes touch no environment, so they are not in `GET /v1/events`. Oldest first, `limit` at a time (default 100, at most 1000); pass `nextAfter` back as `after` until it is null; `cursor` is where the page ends, to read what was changed since. Pages never skip a change: changes of one flag take their ids in commit order.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: {
                    /** @description The id of the last change read (the previous page's nextAfter or cursor): only changes after it */
                    after?: string;
                    /** @description At most this many changes (default 100) */
                    limit?: string;
                };
                header?: never;
                path: {
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of the flag's metadata changes */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["FlagMetadataChangePage"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such flag */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/flags/{key}/environments/{env}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A flag's state in one environment
         * @description The flag's state in one environment. Its ETag is the state's version: send it back as `If-Match` on PATCH to change only what you read.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    key: string;
                    env: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The state */
                200: {
                    headers: {
                        /** @description The state version, for If-Match */
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["FlagState"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such flag or environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /**
         * Replace a flag's whole configuration in one environment: enabled, strategies, variants, dependencies
         * @description Replaces the state's configuration atomically, in one change event. The flag is on for a context when it is enabled, its dependencies hold, and any strategy matches (all of its constraints and segments hold, then its own rule). Strategies, constraints and variants use Unleash's client-API shapes (parameters are strings, weights are out of 1000). Refused with 400 naming the field: an unknown strategy or operator, a regex that does not compile (RE2 syntax), a semver, number, date or CIDR value that does not parse, variant weights not adding up to 1000, a segment id or dependency that does not exist. Over 64 KB of targeting is a 413. Strategies without an `id` get one. With `If-Match: "<version>"` a stale write is a 412. A ramp whose rollout this moves is paused, saying why.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        put: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The version you last read, e.g. "12" */
                    "if-match"?: string;
                };
                path: {
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    key: string;
                    env: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "enabled": true,
                     *       "strategies": [
                     *         {
                     *           "name": "flexibleRollout",
                     *           "parameters": {
                     *             "rollout": "100",
                     *             "stickiness": "default",
                     *             "groupId": "new_ui"
                     *           },
                     *           "constraints": [
                     *             {
                     *               "contextName": "email",
                     *               "operator": "STR_ENDS_WITH",
                     *               "values": [
                     *                 "@acme.com"
                     *               ],
                     *               "caseInsensitive": true
                     *             }
                     *           ]
                     *         }
                     *       ],
                     *       "variants": [
                     *         {
                     *           "name": "blue",
                     *           "weight": 1000,
                     *           "payload": {
                     *             "type": "string",
                     *             "value": "blue"
                     *           }
                     *         }
                     *       ],
                     *       "dependencies": []
                     *     }
                     */
                    "application/json": components["schemas"]["StateConfig"];
                };
            };
            responses: {
                /** @description The new state */
                200: {
                    headers: {
                        /** @description The new version */
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["FlagState"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such flag or environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The flag is archived; or the environment is protected and the caller is a person: propose the change in a change request (`change_request_required`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description If-Match names a version that is no longer current; nothing was written */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The targeting is over 64 KB as JSON; nothing was written */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Switch a flag on or off, or set its rollout, in one environment
         * @description Changes `enabled` and/or `rollout` in one environment. `rollout` moves the simple case (one flexibleRollout strategy, default stickiness, the flag key as group id, no constraints or segments); on any other state name the flexibleRollout strategy to move with `strategyId` (a 400 explains this otherwise), or replace the whole configuration with PUT. Connected SDKs receive the change within milliseconds. With `If-Match: "<version>"` (the ETag of your last read) the change is refused with 412 when someone changed the state meanwhile; without it, it is applied whatever the current version. A manual change of the rollout pauses a ramp running on the same flag and environment, recording why. Asking for what is already there writes nothing.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The version you last read, e.g. "12" */
                    "if-match"?: string;
                };
                path: {
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    key: string;
                    env: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "enabled": true,
                     *       "rollout": 50
                     *     }
                     */
                    "application/json": components["schemas"]["StateChange"];
                };
            };
            responses: {
                /** @description The new state */
                200: {
                    headers: {
                        /** @description The new version */
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["FlagState"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such flag or environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The flag is archived; or the environment is protected and the caller is a person: propose the change in a change request (`change_request_required`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description If-Match names a version that is no longer current; nothing was written */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/environments/{env}/flag-states": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace the configurations of several flags in one environment, all or nothing, as one version
         * @description Each change is a whole configuration (the PUT body) and, as `expectedVersion`, the version of the state you read (the If-Match of each). They are applied as an approved change request is (one transaction, one change group): every changed state takes the SAME new environment version, so connected SDKs receive them as one change and never evaluate a mix. When any is refused (a version that moved meanwhile: 412; an archived flag: 409; a missing flag or a bad configuration: 400 naming `changes.<i>…`), none is written. In a protected environment a person is refused with 409 `change_request_required` (propose it with POST /v1/change-requests); an admin token writes. `flagship apply` uses this. A change asking for what is already there writes nothing.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    env: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "changes": [
                     *         {
                     *           "flag": "new_ui",
                     *           "expectedVersion": 3,
                     *           "set": {
                     *             "enabled": true,
                     *             "strategies": [
                     *               {
                     *                 "name": "flexibleRollout",
                     *                 "parameters": {
                     *                   "rollout": "100",
                     *                   "stickiness": "default",
                     *                   "groupId": "new_ui"
                     *                 },
                     *                 "constraints": [
                     *                   {
                     *                     "contextName": "email",
                     *                     "operator": "STR_ENDS_WITH",
                     *                     "values": [
                     *                       "@acme.com"
                     *                     ],
                     *                     "caseInsensitive": true
                     *                   }
                     *                 ]
                     *               }
                     *             ],
                     *             "variants": [
                     *               {
                     *                 "name": "blue",
                     *                 "weight": 1000,
                     *                 "payload": {
                     *                   "type": "string",
                     *                   "value": "blue"
                     *                 }
                     *               }
                     *             ],
                     *             "dependencies": []
                     *           }
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["FlagStateBatch"];
                };
            };
            responses: {
                /** @description The version the changes took (null: nothing changed) and the new states, in the order given */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            version: number | null;
                            states: {
                                /** Format: uuid */
                                id: string;
                                /**
                                 * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
                                 * @example new_ui
                                 */
                                key: string;
                                /**
                                 * @description The project the flag is in
                                 * @example web
                                 */
                                project: string;
                                /** @example prod */
                                environment: string;
                                enabled: boolean;
                                rollout: number | null;
                                strategies: components["schemas"]["Strategy"][];
                                variants: components["schemas"]["Variant"][];
                                dependencies: components["schemas"]["Dependency"][];
                                version: number;
                                /** Format: date-time */
                                updatedAt: string;
                                updatedBy: string;
                                archived?: boolean;
                                changed: boolean;
                            }[];
                        };
                    };
                };
                /** @description A bad configuration or a missing flag, named `changes.<i>…`; nothing was written */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A flag is archived; or the environment is protected and the caller is a person (`change_request_required`); nothing was written */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A state is no longer at its expectedVersion; nothing was written */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A configuration is over 64 KB as JSON; nothing was written */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/segments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List segments
         * @description Every segment (a named, reusable list of constraints that strategies reference by id), ordered by id; `project=` only those of one project.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only the segments of this project */
                    project?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The segments */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SegmentList"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a segment
         * @description Creates a segment; reference it from a strategy's `segments` by its id. The constraints are checked as a state's are (400 naming the field). Segments belong to a project (only that project's flags may use them) and to every environment: the change is a change event in every environment, pushed to connected SDKs whose token sees the segment's project as `flags:change { environment, version, segment }`, and every flag using the segment evaluates with it from that version on.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "name": "acme-staff",
                     *       "description": "Everyone with an @acme.com address",
                     *       "constraints": [
                     *         {
                     *           "contextName": "email",
                     *           "operator": "STR_ENDS_WITH",
                     *           "values": [
                     *             "@acme.com"
                     *           ],
                     *           "caseInsensitive": true
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["CreateSegment"];
                };
            };
            responses: {
                /** @description The new segment */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Segment"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A segment with this name exists */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The constraints are over 64 KB as JSON */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/segments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a segment
         * @description One segment by id.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The segment */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Segment"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such segment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a segment no flag uses
         * @description Deletes the segment. A segment that a live flag's strategy references in any environment is a 409 naming the flags (`details.usedBy`): remove it from their strategies first. Segments belong to a project (only that project's flags may use them) and to every environment: the change is a change event in every environment, pushed to connected SDKs whose token sees the segment's project as `flags:change { environment, version, segment }`, and every flag using the segment evaluates with it from that version on.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The deleted segment, with deleted: true */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Segment"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such segment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Flags use the segment; `details.usedBy` lists them */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a segment's name, description or constraints
         * @description Changes the given fields. Segments belong to a project (only that project's flags may use them) and to every environment: the change is a change event in every environment, pushed to connected SDKs whose token sees the segment's project as `flags:change { environment, version, segment }`, and every flag using the segment evaluates with it from that version on.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "constraints": [
                     *         {
                     *           "contextName": "email",
                     *           "operator": "STR_ENDS_WITH",
                     *           "values": [
                     *             "@acme.com"
                     *           ],
                     *           "caseInsensitive": true
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["UpdateSegment"];
                };
            };
            responses: {
                /** @description The segment */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Segment"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such segment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Another segment has this name */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The constraints are over 64 KB as JSON */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/import/unleash": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import an Unleash client-API state into one environment: its features' states and the segments
         * @description Takes what Unleash's `GET /api/client/features` returns (`{ version, features, segments? }`, up to 10 MB and 5,000 features) and creates or replaces the segments (keeping their ids), creates the flags that do not exist, and replaces each feature's state in `environment` (enabled, strategies, variants, dependencies). Each change is a normal change event, pushed to SDKs. Users keep their buckets (same hashing). Lossless: an unknown strategy or operator, or a value that does not parse, is kept as it is and never matches (as in Unleash's SDKs); the answer lists each as a warning. A segment or dependency that exists neither in FlagShip nor in the import is kept and listed as a warning; an archived flag is a 409, a feature's targeting over 64 KB a 413: these are checked first, and then nothing is stored. It writes in transactions of a few hundred flags, so other writers wait a moment at most, never the whole import; should it fail midway, importing the same state again completes it. Importing the same state again changes nothing.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query: {
                    environment: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "version": 2,
                     *       "segments": [
                     *         {
                     *           "id": 1,
                     *           "name": "acme-staff",
                     *           "constraints": [
                     *             {
                     *               "contextName": "email",
                     *               "operator": "STR_ENDS_WITH",
                     *               "values": [
                     *                 "@acme.com"
                     *               ]
                     *             }
                     *           ]
                     *         }
                     *       ],
                     *       "features": [
                     *         {
                     *           "name": "new_checkout",
                     *           "enabled": true,
                     *           "strategies": [
                     *             {
                     *               "name": "flexibleRollout",
                     *               "parameters": {
                     *                 "rollout": "25",
                     *                 "stickiness": "default",
                     *                 "groupId": "new_checkout"
                     *               },
                     *               "segments": [
                     *                 1
                     *               ]
                     *             }
                     *           ],
                     *           "variants": [
                     *             {
                     *               "name": "blue",
                     *               "weight": 1000,
                     *               "payload": {
                     *                 "type": "string",
                     *                 "value": "blue"
                     *               }
                     *             }
                     *           ]
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["UnleashImport"];
                };
            };
            responses: {
                /** @description What the import did, with warnings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UnleashImportResult"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A feature names an archived flag, or a segment name is taken by another id; nothing was stored */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The body is over 10 MB, or one feature's targeting over 64 KB; nothing was stored */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/export/unleash": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export one environment's flags and every segment as an Unleash client-API state
         * @description The live flags of `environment` with their strategies, variants and dependencies, and every segment, in the format of Unleash's `GET /api/client/features` (version 2). POST /v1/import/unleash takes it back unchanged; an Unleash SDK evaluates it as FlagShip does.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query: {
                    environment: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The state */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UnleashExport"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log, oldest first; pass nextAfter back as after for the next page
         * @description Every change event (who, when, before and after), oldest first, filtered by environment and flag. Pages never skip an event, even while several environments are written at once: the cursor is the last version read of each environment (`dev:12,prod:7`), not an event id. Pass `nextAfter` back as `after` until it is null; `cursor` is where the page ends, to read what was written since.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: {
                    environment?: string;
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    flag?: string;
                    after?: string;
                    limit?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of change events */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EventPage"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The environment or flag filtered on does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The whole audit log, streamed as NDJSON or CSV, resumable by version
         * @description Every change event that passes the filters, streamed (never cut at a page size): environment by environment in key order, each in version order, as NDJSON (one event per line, the objects of GET /v1/events) or CSV (`before` and `after` as JSON text). `from` and `to` are versions (both inclusive) in each environment; `since` and `until` times of commit. The export ends at the version each environment stood at when it began. To resume a broken export, ask again with `from` the last version received + 1 (one environment) or `after` the last version received of each (`dev:12,prod:7`). A broken stream ends without its last line: a client that sees the connection fail knows the export is incomplete.
         *
         *     A person needs the viewer role on every project ('*'); admin tokens have every role.
         */
        get: {
            parameters: {
                query?: {
                    environment?: string;
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    flag?: string;
                    /** @description Only changes by this actor (as the event names it, or its id or email) */
                    actor?: string;
                    /** @description The first version to export (inclusive), in each environment */
                    from?: string;
                    /** @description The last version to export (inclusive), in each environment */
                    to?: string;
                    /** @description Only events committed at or after this time */
                    since?: string;
                    /** @description Only events committed before this time */
                    until?: string;
                    /** @description Resume an export of several environments: the last version received of each (`dev:12,prod:7`) */
                    after?: string;
                    format?: "ndjson" | "csv";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description application/x-ndjson (one change event per line) or text/csv (a header row, then one event per record) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The environment or flag filtered on does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/environments/{env}/snapshot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An environment's snapshot as it stood at a version or a time
         * @description The snapshot `/v1/client/flags` served at `asOf` (its flags and segments), byte for byte what an SDK held at that version. `asOf` is an environment version, or an RFC 3339 time: the last version committed at or before it. A version not reached yet, a time to come, or one before the environment was added is a 400 naming `asOf`.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query: {
                    /** @description An environment version, or an RFC 3339 time: the last version committed at or before it */
                    asOf: string;
                };
                header?: never;
                path: {
                    env: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The snapshot at that version */
                200: {
                    headers: {
                        /** @description The version */
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Snapshot"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/playground": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Evaluate a context in an environment, now or in the past, and see why each flag answers as it does
         * @description Each flag's answer for the context exactly as `POST /v1/client/evaluate` gives it (the same evaluation code), for every flag or those named in `flags`, against the current state or the one at `asOf` (a version or an RFC 3339 time). With `explain: true` each answer carries `trace`: the flag switch, each dependency, each strategy, each constraint and segment with the context value it saw and whether it `held`, the bucket and percentage, the variant pick.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "environment": "prod",
                     *       "context": {
                     *         "targetingKey": "user-42",
                     *         "email": "ada@acme.com"
                     *       },
                     *       "explain": true
                     *     }
                     */
                    "application/json": components["schemas"]["PlaygroundRequest"];
                };
            };
            responses: {
                /** @description Each flag evaluated for the context */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PlaygroundResponse"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/flags/{key}/environments/{env}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Put a flag's state back as it was at an environment version
         * @description One new change that sets the state's configuration (enabled, strategies with their ids, variants, dependencies) to what it was at `version` (of the environment, as the audit log and the snapshot name versions). History is never rewritten: the restore is a change like any other, in the audit log and pushed to SDKs. A segment or flag the old state named that no longer exists is a 400 naming it. With `If-Match` (the current state's version) a stale restore is a 412. In a protected environment a person's restore opens a change request holding it (202) instead of writing.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The version of the target state you last read, e.g. "12" */
                    "if-match"?: string;
                };
                path: {
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    key: string;
                    env: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "version": 12
                     *     }
                     */
                    "application/json": components["schemas"]["RestoreRequest"];
                };
            };
            responses: {
                /** @description The new state (unchanged, with its version, when it already was so) */
                200: {
                    headers: {
                        /** @description The new version */
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["FlagState"];
                    };
                };
                /** @description The environment is protected: a change request holding this change was opened (nothing changes until it is approved and applied) */
                202: {
                    headers: {
                        /** @description /v1/change-requests/{id} */
                        Location?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChangeRequest"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such flag or environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The flag is archived */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description If-Match names a version that is no longer current; nothing was written */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/flags/{key}/environments/{env}/copy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Promote a flag's state from another environment to this one
         * @description One new change in `{env}` that sets the flag's configuration to its current one in `from` (enabled, strategies with their ids, variants, dependencies). Segments and flags it names must exist here too: each one missing is a 400 naming it. With `If-Match` (the version of the state in `{env}` you last read) a stale copy is a 412. In a protected `{env}` a person's copy opens a change request holding it (202) instead of writing.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The version of the target state you last read, e.g. "12" */
                    "if-match"?: string;
                };
                path: {
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    key: string;
                    env: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "from": "staging"
                     *     }
                     */
                    "application/json": components["schemas"]["CopyRequest"];
                };
            };
            responses: {
                /** @description The new state (unchanged, with its version, when it already was so) */
                200: {
                    headers: {
                        /** @description The new version */
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["FlagState"];
                    };
                };
                /** @description The environment is protected: a change request holding this change was opened (nothing changes until it is approved and applied) */
                202: {
                    headers: {
                        /** @description /v1/change-requests/{id} */
                        Location?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChangeRequest"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such flag or environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The flag is archived */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description If-Match names a version that is no longer current; nothing was written */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/environments/{env}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Promote several flags' states from another environment to this one, as one change
         * @description Copies the current state in `from` of each flag named (enabled, strategies with their ids, variants, dependencies: what the single-flag copy copies) to `{env}`, all together: every changed state takes the SAME new environment version, so connected SDKs receive the promote as one change, all or nothing. In a protected `{env}` a person's promote opens ONE change request holding every flag (202) instead of writing; it applies as one version once approved. `expectedVersions` maps flags to the version of their state in `{env}` you last read: one that moved refuses the whole promote with 412. `sourceVersions` maps flags to the version of their state in `from` you looked at: one that moved refuses it with 412 (`details.currentSourceVersions`), nothing written and no change request opened. A direct promote locks the source states in its transaction, so what it writes is what `from` holds when it commits. Refused with nothing written: `from` unknown or equal to `{env}` (400 naming `from`), a flag that does not exist or is named twice (400 naming `flags.<i>`), a configuration `{env}` cannot take (400 naming `flags.<i>.<field>`), an archived flag (409). The console's environment comparison (/compare) uses this.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    env: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "from": "staging",
                     *       "flags": [
                     *         "new_ui",
                     *         "checkout"
                     *       ],
                     *       "expectedVersions": {
                     *         "new_ui": 12
                     *       },
                     *       "sourceVersions": {
                     *         "new_ui": 40,
                     *         "checkout": 38
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["PromoteRequest"];
                };
            };
            responses: {
                /** @description Written: the version the promote took (null: nothing changed) and each new state */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PromoteResult"];
                    };
                };
                /** @description The environment is protected: one change request holding every flag was opened (nothing changes until it is approved and applied) */
                202: {
                    headers: {
                        /** @description /v1/change-requests/{id} */
                        Location?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChangeRequest"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such environment `{env}` */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A flag is archived; nothing was written */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A state in `{env}` is no longer at its `expectedVersions` entry; nothing was written */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A configuration is over 64 KB as JSON; nothing was written */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Admin change stream (SSE): every change event of every environment, live, in version order per environment
         * @description What the console listens on. Opened with fetch (the admin token in the Authorization header), it sends `ready` with the cursor it starts from (per environment, the version last included), then every change event as it commits: per environment in version order, with no gaps. Each event's `id` is the cursor after it; reconnect with `after=<that id>` (or Last-Event-ID) to receive exactly what was missed. Without `after`, it starts at every environment's current version. A change of a flag's description, type, tags or owner (no part of any state: no environment version) arrives as `event: flag` (a FlagMetadataChange, without an id) within a second of its commit; a resumed stream does not replay those, so read the flags again after a reconnect. A revoked token's stream ends within a second with `event: error`.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Resume after these versions (the id of the last event received); an environment it omits starts from its current version */
                    after?: string;
                };
                header?: {
                    /** @description The id of the last event received (same as after) */
                    "last-event-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/event-stream. First `event: ready` with `{ cursor, resumed }`; then one `event: change` per change event (the same objects as GET /v1/events), each with `id:` the cursor to resume after it; `event: flag` per change of a flag's own fields (`{ id, flag, project, actor, before, after, createdAt }`); `event: error` before the stream is closed because its token was revoked. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List tokens (never their secrets)
         * @description Every admin, sdk and frontend token, live and revoked, with its kind and environment. Secrets are never shown again after creation. Personal tokens are not listed: each user sees their own at `GET /v1/me/tokens`.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every token */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tokens: components["schemas"]["Token"][];
                        };
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a token; its secret is in this response only
         * @description Creates an admin token, or an sdk token bound to one environment. The secret is in this response only (`Cache-Control: no-store`); FlagShip keeps its hash.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "name": "web app",
                     *       "kind": "sdk",
                     *       "environment": "prod"
                     *     }
                     */
                    "application/json": components["schemas"]["CreateToken"];
                };
            };
            responses: {
                /** @description Created; keep the secret, it is stored only as a hash */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CreatedToken"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a token; it stops working at once
         * @description Revokes the token: every API process refuses it at once, and notifiers close its open sockets. The last live admin token cannot be revoked. A personal token is 404 here: its user revokes it at `DELETE /v1/me/tokens/{id}`, and removing the user revokes all of theirs.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The revoked token */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Token"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such token */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Already revoked, or the last live admin token */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List users
         * @description Every user with their roles per project and how they sign in (password, sso, or invited: not yet). Never a password or its hash.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every user */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            users: components["schemas"]["User"][];
                        };
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add a user
         * @description Adds a person with their roles. With `password` (12 to 256 characters, not the email) they can sign in at once with POST /auth/login; without one the answer carries `invite`, a link to set a password (valid 7 days, once), or they sign in with single sign-on. The email is unique whatever its case (409).
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "email": "ana@example.com",
                     *       "name": "Ana",
                     *       "roles": [
                     *         {
                     *           "role": "editor",
                     *           "project": "*"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["CreateUser"];
                };
            };
            responses: {
                /** @description Created */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CreatedUser"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A user with this email exists */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read one user
         * @description The user with their roles.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The user */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such user */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Remove a user; their sessions and personal tokens stop working at once
         * @description Removes the user with their sessions and personal tokens: every API process refuses them within a second, and their open change streams end. Their changes stay in the audit log under their name.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The removed user */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such user */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a user's email, name or roles
         * @description Roles replace the user's previous ones and count from their next request, on every channel (session, personal tokens).
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "roles": [
                     *         {
                     *           "role": "viewer",
                     *           "project": "*"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["UpdateUser"];
                };
            };
            responses: {
                /** @description The changed user */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["User"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such user */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Another user has this email */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/users/{id}/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a one-time link for a local account to set a new password
         * @description A link (valid one hour, once) that lets the user set a new password; answering it ends their sessions. An earlier unused link of theirs stops working. FlagShip sends no email: give the link to the person. 409 for a single sign-on user.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The link */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PasswordLink"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such user */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The user signs in with single sign-on */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who is asking, with their roles and (with a session) the CSRF token
         * @description The signed-in user (session cookie or personal token) or the admin token asking, with their roles per project. With a session cookie, `csrfToken` is what every POST, PUT, PATCH and DELETE must send as `X-FlagShip-CSRF`.
         *
         *     Anyone signed in (or any admin token).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Who is asking */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Me"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List your personal tokens (never their secrets)
         * @description Your personal tokens, live and revoked.
         *
         *     People only: a session or a personal token, not an admin token.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Your personal tokens */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tokens: components["schemas"]["Token"][];
                        };
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a personal token; its secret is in this response only
         * @description A token (kind `personal`) that acts as you, with your roles at each request, wherever admin tokens are taken: for scripts and the CLI. It stops working when it expires (`expiresAt`), when you revoke it, or when you are removed.
         *
         *     People only: a session or a personal token, not an admin token.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "name": "my laptop",
                     *       "expiresAt": "2027-01-31T00:00:00Z"
                     *     }
                     */
                    "application/json": components["schemas"]["CreatePersonalToken"];
                };
            };
            responses: {
                /** @description Created; keep the secret, it is stored only as a hash */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CreatedToken"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke one of your personal tokens; it stops working at once
         * @description Revokes the token in every API process at once.
         *
         *     People only: a session or a personal token, not an admin token.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The revoked token */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Token"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description You have no such token */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Already revoked */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/methods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How people can sign in here (for the sign-in page)
         * @description Whether local accounts and single sign-on are available, and where the single sign-on button leads.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The sign-in methods */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SignInMethods"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with a local account; sets the session cookie
         * @description Checks the email and password and sets the HttpOnly session cookie. A wrong password, an unknown email, an unanswered invitation and a single sign-on account all get the same 401 `invalid_credentials`. After 10 failures for an email or from an address within 15 minutes, a 429 with Retry-After, for unknown emails too.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "email": "ana@example.com",
                     *       "password": "correct horse battery staple"
                     *     }
                     */
                    "application/json": components["schemas"]["SignIn"];
                };
            };
            responses: {
                /** @description Signed in: the session cookie is set */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SignedIn"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Wrong email or password (`invalid_credentials`) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many failed sign-ins for this email or from this address */
                429: {
                    headers: {
                        /** @description Seconds until the next attempt is taken */
                        "Retry-After"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out: the session ends in every API process
         * @description Ends the session of the cookie and clears the cookie; the session is refused at once by every API process and its open change streams end within a second. With a live session it needs the CSRF header (or the public Origin), like every change. Signing out twice is fine.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Signed out */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Answer an invitation or reset link: set the password and sign in
         * @description Sets the password of the link's user (12 to 256 characters, not the email), uses the link up (it works once, until it expires), ends every other session of the user, and signs in (sets the session cookie).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "token": "fs_link_…",
                     *       "password": "correct horse battery staple"
                     *     }
                     */
                    "application/json": components["schemas"]["SetPassword"];
                };
            };
            responses: {
                /** @description Password set and signed in */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SignedIn"];
                    };
                };
                /** @description A password the policy refuses, or an unknown, expired or used link */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/client/evaluate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Every flag of the token's environment, evaluated for one context
         * @description Evaluates every live flag of the sdk token's environment for the context, with the same function the SDK runs locally: for apps that do not embed the SDK.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "context": {
                     *         "key": "user-42"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ClientEvaluateRequest"];
                };
            };
            responses: {
                /** @description Each flag's value, variant and reason, as the SDK computes them */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ClientEvaluation"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ofrep/v1/evaluate/flags/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * OFREP: evaluate one flag for a context
         * @description OpenFeature Remote Evaluation Protocol, single flag: its value, variant (`on`/`off`), reason and metadata for the context, in the sdk token's environment. Errors are OFREP's own bodies.
         */
        post: {
            parameters: {
                query?: {
                    flagConfigEtag?: string;
                    flagConfigLastModified?: string;
                };
                header?: never;
                path: {
                    key: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "context": {
                     *         "targetingKey": "user-42"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["OfrepEvaluationRequest"];
                };
            };
            responses: {
                /** @description The typed value (the chosen variant's payload, else the boolean), the variant's name (else on/off), the reason and metadata */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OfrepEvaluationSuccess"];
                    };
                };
                /** @description INVALID_CONTEXT, PARSE_ERROR, or TARGETING_KEY_MISSING for a partial rollout */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OfrepEvaluationFailure"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OfrepGeneralError"];
                    };
                };
                /** @description Neither an sdk nor a frontend token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OfrepGeneralError"];
                    };
                };
                /** @description FLAG_NOT_FOUND: no such live flag in the token's environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OfrepFlagNotFound"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ofrep/v1/evaluate/flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * OFREP: evaluate every flag of the token's environment for a context
         * @description OpenFeature Remote Evaluation Protocol, bulk: every flag of the sdk token's environment for the context, with an ETag for `If-None-Match`, and the URL of an SSE stream (`eventStreams`) that says when to fetch again.
         */
        post: {
            parameters: {
                query?: {
                    flagConfigEtag?: string;
                    flagConfigLastModified?: string;
                };
                header?: {
                    /** @description The ETag of the last bulk response */
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "context": {
                     *         "targetingKey": "user-42"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["OfrepEvaluationRequest"];
                };
            };
            responses: {
                /** @description Every flag (a missing targeting key fails only the partial rollouts), and the event stream to listen on */
                200: {
                    headers: {
                        /** @description Changes when any answer in the body does */
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OfrepBulkEvaluationSuccess"];
                    };
                };
                /** @description Not modified: If-None-Match names the current ETag */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description INVALID_CONTEXT or PARSE_ERROR */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OfrepBulkEvaluationFailure"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OfrepGeneralError"];
                    };
                };
                /** @description Neither an sdk nor a frontend token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OfrepGeneralError"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ofrep/v1/event-stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * OFREP event stream (SSE): a refetchEvaluation event with the new ETag on every change of the token's environment
         * @description Server-sent events: `refetchEvaluation` with the new ETag each time the token's environment changes, and a keep-alive comment every 15 s. Open it with the URL from the bulk response (its `ticket` authenticates, since EventSource cannot send headers) or with an sdk token in `Authorization`. Reconnects send `Last-Event-ID` (the version).
         */
        get: {
            parameters: {
                query?: {
                    ticket?: string;
                };
                header?: {
                    /** @description Bearer <sdk or frontend token>, for clients that can send headers instead of a ticket */
                    authorization?: string;
                    /** @description The last version seen; sent by EventSource on reconnect */
                    "last-event-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/event-stream: `data: {"type":"refetchEvaluation","etag":"\"12\""}` with `id: 12` */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OfrepGeneralError"];
                    };
                };
                /** @description Neither an sdk nor a frontend token */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OfrepGeneralError"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/flags/{key}/environments/{env}/rollouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Schedule a ramp of a flag's rollout: explicit steps, or from/to/step/every
         * @description Schedules a ramp: the worker sets the rollout to each step's value at its time, through the same write path as PATCH (audited with the ramp as actor, pushed). Give `from`, `to`, `step` and an ISO 8601 duration `every` (optionally `startAt`), or explicit `steps` dated in the future. A ramp never switches a disabled flag on; a manual change of the rollout pauses it. On a state that is not the simple case (one flexibleRollout strategy), name the flexibleRollout strategy to drive with `strategyId` (a 400 otherwise).
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    key: string;
                    env: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "from": 5,
                     *       "to": 100,
                     *       "step": 5,
                     *       "every": "PT1H"
                     *     }
                     */
                    "application/json": components["schemas"]["CreateRamp"];
                };
            };
            responses: {
                /** @description Scheduled */
                201: {
                    headers: {
                        /** @description The ramp, /v1/rollouts/{id} */
                        Location?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Ramp"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such flag or environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The flag is archived, or already has an active ramp in this environment */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rollouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List ramps, newest first, by flag, environment and status
         * @description Every ramp (scheduled, running, paused, completed, cancelled), newest first, a page at a time: filter with `flag`, `environment` and `status`, and pass `nextAfter` back as `after` until it is null.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    flag?: string;
                    environment?: string;
                    status?: "scheduled" | "running" | "paused" | "completed" | "cancelled" | "rolled_back";
                    after?: string;
                    limit?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of ramps */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RampPage"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The flag or environment filtered on does not exist */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rollouts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A ramp: its status, progress and steps
         * @description The ramp with its status (`scheduled`, `running`, `paused`, `completed`, `cancelled`), current step, why it stopped if it did, and each step's planned and applied time.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The ramp, each step with its planned and applied time */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Ramp"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such ramp */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rollouts/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause a scheduled or running ramp (optionally saying why)
         * @description Stops the ramp where it is; the rollout stays at the last applied step. `reason` is recorded (default: who paused it).
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "reason": "error rate went up"
                     *     }
                     */
                    "application/json": components["schemas"]["StopRamp"];
                };
            };
            responses: {
                /** @description The ramp, each step with its planned and applied time */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Ramp"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such ramp */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The ramp is not scheduled or running */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rollouts/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume a paused ramp: the remaining steps move by the time it was paused, keeping their spacing
         * @description Re-plans the remaining steps from now, keeping their spacing, and queues the next one. The body is an empty object.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /** @example {} */
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description The ramp, each step with its planned and applied time */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Ramp"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such ramp */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The ramp is not paused, or its flag is archived */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rollouts/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a ramp that has not finished; steps already applied stay
         * @description Ends the ramp for good; the rollout stays where the last applied step put it. `reason` is recorded.
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "reason": "rolled out by hand instead"
                     *     }
                     */
                    "application/json": components["schemas"]["StopRamp"];
                };
            };
            responses: {
                /** @description The ramp, each step with its planned and applied time */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Ramp"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such ramp */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The ramp is already completed or cancelled */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/change-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List change requests, newest first
         * @description Change requests (not schedules), newest first; filter by `environment`, `state` and `flag`.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: {
                    environment?: string;
                    state?: "open" | "approved" | "scheduled" | "applied" | "rejected" | "cancelled" | "conflicted";
                    /** @description Only requests that change this flag */
                    flag?: string;
                    limit?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The requests */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            changeRequests: components["schemas"]["ChangeRequest"][];
                        };
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Propose changes to flags and segments of one environment, applied together as one version once approved
         * @description Opens a change request: any mix of flag-state changes (a PATCH body or a PUT body as `set`), segment changes and archives (`{ flag, archive: true }`). Every change is checked now as it would be applied (a 400 names `changes.<n>…`), but nothing changes and no app hears of it until the request is approved (by `requiredApprovals` editors or admins other than its author) and applied: then every change commits in one transaction as ONE environment version, so no running app ever evaluates half of it. With `scheduledAt`, it applies at that time once approved. The version of each flag state and segment is recorded now: if one moves before the request is applied, the request becomes `conflicted` instead of overwriting it. A change may name, as `expectedVersion`, the version of its flag state (or segment) it was based on: if that is no longer current, nothing is opened (412 naming `changes.<n>.expectedVersion`). Needs the editor role on every project whose flags or segments the request changes (403 otherwise).
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "environment": "prod",
                     *       "title": "Launch the new checkout",
                     *       "description": "Both flags at once, so no user sees half of it",
                     *       "changes": [
                     *         {
                     *           "flag": "new_checkout",
                     *           "set": {
                     *             "enabled": true,
                     *             "rollout": 100
                     *           }
                     *         },
                     *         {
                     *           "flag": "old_checkout_banner",
                     *           "set": {
                     *             "enabled": false
                     *           }
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["CreateChangeRequest"];
                };
            };
            responses: {
                /** @description Opened */
                201: {
                    headers: {
                        /** @description /v1/change-requests/{id} */
                        Location?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChangeRequest"];
                    };
                };
                /** @description A change is invalid (the field is named) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A change's expectedVersion is no longer current (`details` names `changes.<n>.expectedVersion` and the current version); nothing opened */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/change-requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A change request with its diff against the current state and its comments
         * @description The request, its approvals, its comments and, per change, the subject as it is now (`before`), as the change would leave it (`after`), the version recorded when the request was opened and the version now (`conflicted` when they differ).
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The request */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChangeRequestDetail"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such change request */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/change-requests/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a change request (never your own)
         * @description Adds the caller's approval; the author cannot approve (403 `self_approval`) and each approver counts once. With enough approvals the request is `approved` (apply it with …/apply), or `scheduled` when its `scheduledAt` is ahead; approved after its `scheduledAt`, it applies at once. A request whose flags or segments moved since it was opened becomes `conflicted` (409 `conflicted`). Needs the editor role on every project whose flags or segments the request changes (403 otherwise).
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The change request as it stands now */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChangeRequest"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The author cannot approve their own request (`self_approval`) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such change request */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not in a state that allows this (`conflict`), or a flag or segment it changes moved since it was opened (`conflicted`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/change-requests/{id}/apply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Apply an approved change request now: every change, one transaction, one version
         * @description Commits every change of an approved (or scheduled) request in one transaction as one environment version: apps receive it as one message. Each change event carries the request id and the request as actor. 409 `conflicted` (and the request becomes conflicted, nothing written) when a flag or segment it changes moved since it was opened. Needs the editor role on every project whose flags or segments the request changes (403 otherwise).
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The change request as it stands now */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChangeRequest"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such change request */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not in a state that allows this (`conflict`), or a flag or segment it changes moved since it was opened (`conflicted`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/change-requests/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject a change request
         * @description Reject a change request; `reason` is recorded. Nothing it proposed is applied. Needs the editor role on every project whose flags or segments the request changes (403 otherwise).
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    /**
                     * @example {
                     *       "reason": "Not before the freeze ends"
                     *     }
                     */
                    "application/json": components["schemas"]["ReasonInput"];
                };
            };
            responses: {
                /** @description The change request as it stands now */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChangeRequest"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such change request */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not in a state that allows this (`conflict`), or a flag or segment it changes moved since it was opened (`conflicted`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/change-requests/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a change request (or a schedule) before it is applied
         * @description Cancel a change request (or a schedule) before it is applied; `reason` is recorded. Nothing it proposed is applied. Needs the editor role on every project whose flags or segments the request changes (403 otherwise).
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    /**
                     * @example {
                     *       "reason": "Not before the freeze ends"
                     *     }
                     */
                    "application/json": components["schemas"]["ReasonInput"];
                };
            };
            responses: {
                /** @description The change request as it stands now */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChangeRequest"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such change request */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not in a state that allows this (`conflict`), or a flag or segment it changes moved since it was opened (`conflicted`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/change-requests/{id}/comments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Comment on a change request
         * @description Adds a comment; it never changes the request or any flag. Needs the editor role on every project whose flags or segments the request changes (403 otherwise).
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "body": "Looks right; the banner goes with it."
                     *     }
                     */
                    "application/json": components["schemas"]["CommentInput"];
                };
            };
            responses: {
                /** @description The comment */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChangeRequestComment"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such change request */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List scheduled changes (and change requests with a time), soonest first
         * @description Schedules, and change requests that carry `scheduledAt`; filter by `environment`, `state` and `flag` (the flag page shows these).
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: {
                    environment?: string;
                    state?: "open" | "approved" | "scheduled" | "applied" | "rejected" | "cancelled" | "conflicted";
                    /** @description Only requests that change this flag */
                    flag?: string;
                    limit?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The schedules */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            schedules: components["schemas"]["ChangeRequest"][];
                        };
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Schedule changes in an unprotected environment: applied together, as one version, at a time
         * @description The worker applies the changes (the same shapes as a change request's) at `at`, late by at most a second, exactly once, as one environment version recorded with the schedule as actor. In a protected environment use a change request with `scheduledAt` (409 `change_request_required`). Cancel it with POST /v1/change-requests/{id}/cancel (or DELETE /v1/schedules/{id}). Needs the editor role on every project whose flags or segments the request changes (403 otherwise).
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "environment": "dev",
                     *       "changes": [
                     *         {
                     *           "flag": "new_checkout",
                     *           "set": {
                     *             "enabled": true
                     *           }
                     *         }
                     *       ],
                     *       "at": "2030-01-01T09:00:00Z"
                     *     }
                     */
                    "application/json": components["schemas"]["CreateSchedule"];
                };
            };
            responses: {
                /** @description Scheduled */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChangeRequest"];
                    };
                };
                /** @description A change is invalid, or `at` is not in the future */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The environment is protected (`change_request_required`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A change's expectedVersion is no longer current (`changes.<n>.expectedVersion`); nothing scheduled */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Cancel a scheduled change before it runs
         * @description Cancels the schedule (or change request); 409 once it was applied. Needs the editor role on every project whose flags or segments the request changes (403 otherwise).
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The change request as it stands now */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ChangeRequest"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such change request */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not in a state that allows this (`conflict`), or a flag or segment it changes moved since it was opened (`conflicted`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/client/flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every live flag of the sdk token's environment, with the environment version as ETag
         * @description What running apps poll when they do not hold a socket: the snapshot `{ environment, version, flags, segments }` of the sdk token's environment, holding only the flags and segments of the token's projects. Send the ETag back as `If-None-Match` and you get a 304 while nothing changed. Served from the cache the notifier keeps current, falling back to PostgreSQL.
         */
        get: {
            parameters: {
                query?: {
                    /** @description The environment you expect; a token of another environment gets a 403 instead of the wrong flags */
                    environment?: string;
                };
                header?: {
                    /** @description The ETag you hold, e.g. "12" */
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The snapshot */
                200: {
                    headers: {
                        /** @description The environment version, e.g. "12" */
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Snapshot"];
                    };
                };
                /** @description If-None-Match names the current version: what you hold is current */
                304: {
                    headers: {
                        /** @description The environment version */
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Neither the cache nor PostgreSQL answered */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/client/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exposures and named events counted by an app, per flag and variant: what guarded ramps watch
         * @description SDKs send what they counted since the last batch: per flag and variant ('on'/'off' for a flag without variants) the exposures (`event: "exposure"`) and named events (`errors`, or any `track()`ed name), each bucket a window of at most a minute. Counted per minute, flag, variant, event and app in the token's environment, kept 7 days; names that are no flag are skipped. Batches arriving together are written by one statement, and each is answered once committed. Give each batch a `batchId` (UUID) and resend it unchanged after a failure: a batch id already counted is acknowledged (`duplicate: true`) and not counted again. Frontend tokens may claim at most 10,000 per bucket; a token may send 6,000 batches a minute to one API process (429 with Retry-After beyond).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "appName": "checkout",
                     *       "batchId": "6f1c2a4e-2b0f-4a57-9a53-0c4f9d1e2b7a",
                     *       "buckets": [
                     *         {
                     *           "flag": "new_checkout",
                     *           "variant": "on",
                     *           "event": "exposure",
                     *           "count": 120,
                     *           "start": "2026-12-01T09:00:00Z",
                     *           "end": "2026-12-01T09:00:10Z"
                     *         },
                     *         {
                     *           "flag": "new_checkout",
                     *           "variant": "on",
                     *           "event": "errors",
                     *           "count": 3,
                     *           "start": "2026-12-01T09:00:00Z",
                     *           "end": "2026-12-01T09:00:10Z"
                     *         },
                     *         {
                     *           "flag": "new_checkout",
                     *           "variant": "off",
                     *           "event": "checkout_value",
                     *           "count": 4,
                     *           "sum": 212.5,
                     *           "start": "2026-12-01T09:00:00Z",
                     *           "end": "2026-12-01T09:00:10Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["ClientEventBatch"];
                };
            };
            responses: {
                /** @description Counted (or already counted: `duplicate`) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ClientEventReceipt"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token sent its batches of this minute; Retry-After says when to send again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description PostgreSQL is away, or too many counts are waiting to be written: resend the same batch later */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The build guide's create: a flag in one environment
         * @description Creates the flag `name` with this state in `env` (its other environments get FlagShip's default, disabled at 100%) and answers 201; when the flag exists, sets its state in `env` instead and answers 200 (the guide has a flag per environment, FlagShip one flag with a state in each), so repeating the same call changes nothing. Fields not given keep their value. Give the fields as query parameters, as the guide does, or as a JSON body, not both. It is an ordinary FlagShip write: audited, versioned, pushed to SDKs, visible under /v1. An archived name is a 409 (archived keys stay taken).
         *
         *     A person needs the editor role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        post: {
            parameters: {
                query?: {
                    /** @description The flag name (FlagShip: its key); required */
                    name?: string;
                    /** @description The environment (dev, staging, prod are seeded); required */
                    env?: string;
                    /** @description Whether the flag is on; when creating, false if not given; when setting, unchanged if not given */
                    enabled?: "true" | "false";
                    /** @description Percentage 0-100; when creating, 100 if not given; when setting, unchanged if not given */
                    rollout?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    /**
                     * @example {
                     *       "name": "new_ui",
                     *       "env": "prod",
                     *       "enabled": true,
                     *       "rollout": 30
                     *     }
                     */
                    "application/json": components["schemas"]["GuideFlagInput"];
                };
            };
            responses: {
                /** @description The flag existed: its state in `env` is now as asked */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["GuideFlag"];
                    };
                };
                /** @description Created: the flag in `env` */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["GuideFlag"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The name belongs to an archived flag */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/flags/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The build guide's read: a flag in one environment
         * @description Answers the flag `name` in the environment `env`, in the guide's shape, or a 404 with the guide's body `{ "detail": "Flag not found" }` when there is no live flag of that name. An admin token reads any environment; an sdk token only its own (403 otherwise).
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query: {
                    /** @description The environment to read the flag in; required */
                    env: string;
                };
                header?: never;
                path: {
                    /** @description The flag's name (key) */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The flag in `env` */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["GuideFlag"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No live flag of that name */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["GuideNotFound"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/flags/{key}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A flag's evaluation counts per environment and hour, and when it was last evaluated
         * @description Counts come from Unleash SDK reports (POST /api/client/metrics, /api/frontend/client/metrics) and from the API's own evaluations (POST /v1/client/evaluate, OFREP, the frontend API), kept 90 days. `lastSeenAt` per environment outlives the hourly rows.
         *
         *     A person needs the viewer role on the project(s) this touches (a grant on the project or on every project); lists show the projects where they hold it. Admin tokens have every role.
         */
        get: {
            parameters: {
                query?: {
                    environment?: string;
                    hours?: string;
                };
                header?: never;
                path: {
                    /** @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters */
                    key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Hourly yes/no and variant counts, newest first, from Unleash SDK reports and the API's own evaluations */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["FlagUsage"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such flag or environment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/client/features": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Unleash client API: every flag of the sdk token's environment, in Unleash's v2 format
         * @description What unleash-client and every other Unleash server-side SDK polls: `features` (strategies with their constraints, the ids of the segments they need, strategy variants; the flag's variants; dependencies) and the top-level `segments`. The ETag is the environment version (304 with If-None-Match). Unless FLAGSHIP_UNLEASH_FETCH_MODE=polling, the response carries `fetch-mode: streaming`, which moves unleash-client 6 to GET /api/client/streaming.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only flags whose name starts with this */
                    namePrefix?: string;
                    /** @description Unleash's project filter: only this project's flags (none when the token does not see it) */
                    project?: string;
                };
                header?: {
                    /** @description The ETag you hold */
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Unleash's client features body */
                200: {
                    headers: {
                        /** @description The environment version */
                        ETag?: string;
                        /** @description `streaming` unless FLAGSHIP_UNLEASH_FETCH_MODE=polling */
                        "fetch-mode"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UnleashFeatures"];
                    };
                };
                /** @description If-None-Match names the current ETag */
                304: {
                    headers: {
                        /** @description The environment version */
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Neither the cache nor PostgreSQL answered */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/client/features/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Unleash client API: one flag of the sdk token's environment
         * @description The flag in Unleash's client API format (as one element of GET /api/client/features); 404 when it is not a live flag of the environment.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The flag */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UnleashFeature"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such live flag */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/client/streaming": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Unleash client API, streaming: every change of the sdk token's environment, pushed (SSE)
         * @description The server-sent-event stream unleash-client 6 reads in streaming mode (`experimentalMode: { type: 'streaming' }`, or after `fetch-mode: streaming`). First `unleash-connected` with `{ events: [{ type: 'hydration', features, segments }] }`, then one `unleash-updated` per new environment version with `feature-updated`, `feature-removed`, `segment-updated` and `segment-removed` events, in version order. The SSE id is the version: a client reconnecting with Last-Event-ID gets only what changed since (or a hydration when that is too far back). Comments keep an idle stream open.
         */
        get: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The last version seen; sent by the SDK on reconnect */
                    "last-event-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/event-stream: `event: unleash-updated`, `id: 12`, `data: {"events":[...]}` */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Neither the cache nor PostgreSQL answered */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/client/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unleash client API: an SDK instance announces itself when it starts
         * @description Unleash SDKs call this once at start. FlagShip checks the body and answers 202 as Unleash does; it keeps no instance registry.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "appName": "checkout",
                     *       "instanceId": "checkout-7f9c",
                     *       "sdkVersion": "unleash-node-sdk:6.12.1",
                     *       "strategies": [
                     *         "default",
                     *         "flexibleRollout"
                     *       ],
                     *       "started": "2026-12-01T09:00:00.000Z",
                     *       "interval": 60000
                     *     }
                     */
                    "application/json": components["schemas"]["UnleashRegister"];
                };
            };
            responses: {
                /** @description Accepted (FlagShip keeps no instance registry; the body is checked and dropped) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/client/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unleash client API: an SDK's evaluation counts for one interval, kept as the flags' usage
         * @description The body Unleash SDKs send every metricsInterval: `bucket.toggles` maps flag names to yes/no counts and variant counts. Counted in the token's environment and the hour of `bucket.start` (never later than now); names that are no flag are skipped. Each count is at most 1,000,000,000 per report (400 naming it); stored counts saturate. A token may send 6,000 reports a minute to one API process (429 with Retry-After beyond).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "appName": "checkout",
                     *       "instanceId": "checkout-7f9c",
                     *       "bucket": {
                     *         "start": "2026-12-01T09:00:00.000Z",
                     *         "stop": "2026-12-01T09:01:00.000Z",
                     *         "toggles": {
                     *           "new_ui": {
                     *             "yes": 120,
                     *             "no": 30,
                     *             "variants": {
                     *               "blue": 80,
                     *               "green": 40
                     *             }
                     *           }
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["UnleashMetrics"];
                };
            };
            responses: {
                /** @description Accepted: counted per flag and hour in the token's environment (names that are not flags are skipped) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token sent its reports of this minute; Retry-After says when to send again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Usage could not be stored just now */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/frontend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Unleash frontend API: the flags that are on for a context (in the query), in the frontend token's environment
         * @description What unleash-proxy-client fetches: the context is the query (`userId`, `sessionId`, `remoteAddress`, `appName`, `environment`, `currentTime`, `properties[name]=value`; any other parameter is a property too; `remoteAddress` defaults to the caller's address). Answers `{ toggles }` with the enabled flags only, each with its variant; never a definition. ETag/304. Each evaluation counts as the flag's usage.
         */
        get: {
            parameters: {
                query?: {
                    userId?: string;
                    sessionId?: string;
                    remoteAddress?: string;
                    environment?: string;
                    appName?: string;
                    currentTime?: string;
                };
                header?: {
                    /** @description The ETag of the last answer */
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The flags that are on for the context, with their variants */
                200: {
                    headers: {
                        /** @description A digest of the answer: changes only when it does */
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UnleashFrontendResponse"];
                    };
                };
                /** @description If-None-Match names the current ETag */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Neither the cache nor PostgreSQL answered */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        /**
         * Unleash frontend API: the flags that are on for a context (in the body)
         * @description As GET /api/frontend, with the context as `{ context: { userId, sessionId, properties: { … } } }` (unleash-proxy-client with `usePOSTrequests: true`).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description The ETag of the last answer */
                    "if-none-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "context": {
                     *         "userId": "user-42",
                     *         "sessionId": "81262",
                     *         "properties": {
                     *           "plan": "pro"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["UnleashFrontendRequest"];
                };
            };
            responses: {
                /** @description The flags that are on for the context, with their variants */
                200: {
                    headers: {
                        /** @description A digest of the answer: changes only when it does */
                        ETag?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UnleashFrontendResponse"];
                    };
                };
                /** @description If-None-Match names the current ETag */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Neither the cache nor PostgreSQL answered */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/frontend/features/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Unleash frontend API: one flag, when it is on for the context (in the query)
         * @description The toggle as one element of GET /api/frontend; 404 when the flag is off for this context or does not exist (as Unleash answers).
         */
        get: {
            parameters: {
                query?: {
                    userId?: string;
                    sessionId?: string;
                    remoteAddress?: string;
                    environment?: string;
                    appName?: string;
                    currentTime?: string;
                };
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The toggle */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UnleashToggle"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Off for this context, or no such flag */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/frontend/client/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unleash frontend API: a browser SDK announces itself
         * @description unleash-proxy-client calls this at start; checked and answered 202, nothing kept.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "appName": "checkout",
                     *       "instanceId": "checkout-7f9c",
                     *       "sdkVersion": "unleash-node-sdk:6.12.1",
                     *       "strategies": [
                     *         "default",
                     *         "flexibleRollout"
                     *       ],
                     *       "started": "2026-12-01T09:00:00.000Z",
                     *       "interval": 60000
                     *     }
                     */
                    "application/json": components["schemas"]["UnleashRegister"];
                };
            };
            responses: {
                /** @description Accepted (the body is checked and dropped) */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/frontend/client/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unleash frontend API: a browser SDK's evaluation counts, kept as the flags' usage
         * @description The same body as POST /api/client/metrics, from unleash-proxy-client with a frontend token; counted in the token's environment. A frontend token's secret is public, so each count is at most 10,000 per report (400 naming it), and a token may send 6,000 reports a minute to one API process (429 with Retry-After beyond).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "appName": "checkout",
                     *       "instanceId": "checkout-7f9c",
                     *       "bucket": {
                     *         "start": "2026-12-01T09:00:00.000Z",
                     *         "stop": "2026-12-01T09:01:00.000Z",
                     *         "toggles": {
                     *           "new_ui": {
                     *             "yes": 120,
                     *             "no": 30,
                     *             "variants": {
                     *               "blue": 80,
                     *               "green": 40
                     *             }
                     *           }
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["UnleashMetrics"];
                };
            };
            responses: {
                /** @description Accepted: counted per flag and hour in the token's environment */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token sent its reports of this minute; Retry-After says when to send again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Usage could not be stored just now */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List webhooks (never their secrets)
         * @description Each webhook with its filters and whether it is enabled; `disabledReason` says why FlagShip disabled one.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every webhook */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            webhooks: components["schemas"]["Webhook"][];
                        };
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Subscribe an HTTP endpoint to changes; the signing secret is in this response only
         * @description Every matching change event is POSTed to `url` in version order per environment, signed as Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). The URL must resolve to a public address unless FLAGSHIP_WEBHOOK_ALLOW_PRIVATE=1; cloud metadata addresses are always refused. Deliveries start with the next change.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "url": "https://hooks.example.com/flagship",
                     *       "description": "audit store",
                     *       "environments": [
                     *         "prod"
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["CreateWebhook"];
                };
            };
            responses: {
                /** @description Created; keep the secret to verify signatures */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CreatedWebhook"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a webhook
         * @description Its URL, filters, format and state; a webhook FlagShip disabled for failing shows `disabledReason`.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The webhook */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Webhook"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such webhook */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a webhook, its cursors and its delivery log
         * @description Nothing more is sent to it (an attempt already in flight may still arrive).
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The deleted webhook */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Webhook"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such webhook */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a webhook: URL, filters, format, description, enabled
         * @description An environment newly let through by `environments` receives changes from now on. `enabled: true` on a webhook FlagShip disabled clears the reason and resumes from where it stopped (the failed event first).
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "enabled": true,
                     *       "environments": [
                     *         "prod",
                     *         "staging"
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["UpdateWebhook"];
                };
            };
            responses: {
                /** @description The webhook */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Webhook"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such webhook */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace the signing secret; the new one is in this response only
         * @description The previous secret keeps signing alongside the new one (two v1 signatures in webhook-signature) for `previousSecretValidSeconds` (default a day), so receivers can switch without missing a delivery; 0 stops it at once.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    /**
                     * @example {
                     *       "previousSecretValidSeconds": 3600
                     *     }
                     */
                    "application/json": components["schemas"]["RotateWebhookSecret"];
                };
            };
            responses: {
                /** @description The webhook and its new secret */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CreatedWebhook"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such webhook */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Delivery attempts, newest first; pass nextBefore back as before for the next page
         * @description Each attempt: the event, its webhook-id, the attempt number, status code, latency, error and up to 1 KB of the answer.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        get: {
            parameters: {
                query?: {
                    before?: string;
                    limit?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of attempts */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookDeliveryPage"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such webhook */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a signed ping now and answer with the outcome
         * @description POSTs `{ "type": "webhook.ping", ... }` (or a Slack text), signed like every delivery, whether or not the webhook is enabled. The attempt is also logged in its deliveries; no cursor moves.
         *
         *     A person needs the admin role on every project ('*'); admin tokens have every role.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Whether the receiver accepted it (2xx), and the attempt */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookPingResult"];
                    };
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token, or an unknown or revoked one */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A token of the wrong kind or environment, a role too low, or (with a session cookie) a change without the CSRF header: `csrf_failed` */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such webhook */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/oidc/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Sign in with single sign-on: sends the browser to the identity provider
         * @description Starts an OpenID Connect sign-in (authorization code with PKCE, state and nonce) and redirects (302) to the identity provider. The attempt lives in an HttpOnly cookie for ten minutes and can finish once. 503 (a page, with Retry-After) while the identity provider does not answer; 404 when single sign-on is not configured.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description To the identity provider */
                302: {
                    headers: {
                        /** @description The provider's authorization endpoint */
                        Location?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Single sign-on is not configured */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The identity provider does not answer (a page) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "Retry-After"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/oidc/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where the identity provider sends the browser back
         * @description Finishes the sign-in this browser started: the state, the issuer, the code (redeemed with the PKCE verifier) and the ID token (issuer, audience, nonce, expiry, signature) are checked by openid-client; the user is created or updated from the role claim (FLAGSHIP_OIDC_ROLE_MAP), a session starts and the browser goes to the console (303). Anything off is a page and no session: 400 for a forged, replayed or expired answer, 403 when the provider refused or the person has no role, 503 while the provider does not answer.
         */
        get: {
            parameters: {
                query?: {
                    code?: string;
                    state?: string;
                    iss?: string;
                    error?: string;
                    error_description?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Signed in: to the console, with the session cookie */
                303: {
                    headers: {
                        /** @description The console */
                        Location?: string;
                        /** @description The session */
                        "Set-Cookie"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description A forged, replayed or expired answer (a page) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The provider refused, or no group gives the person a role (a page) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Single sign-on is not configured */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The identity provider does not answer (a page) */
                503: {
                    headers: {
                        /** @description Seconds to wait before trying again */
                        "Retry-After"?: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document: OpenAPI 3.1, generated from the zod schemas the routes validate with
         * @description This document. It is generated from the same route declarations and zod schemas that validate the requests, so it cannot drift from what the API does.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The OpenAPI document */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid input; `details` lists each offending field */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description FlagShip's error body: a stable `code`, a readable `message`, and for 400s `details` listing each offending field */
        Error: {
            error: {
                code: string;
                message: string;
                details?: unknown;
            };
        };
        /** @description An environment (`dev`, `staging`, `prod` are seeded) and its version: the count of changes in it so far */
        Environment: {
            /** @example prod */
            key: string;
            version: number;
            /** Format: date-time */
            createdAt: string;
            /** @description Direct writes by people are refused (409 change_request_required): changes go through change requests */
            protected: boolean;
            /** @description Approvals a change request needs here (when protected) */
            requiredApprovals: number;
        };
        /** @description A new environment's key */
        CreateEnvironment: {
            /** @example prod */
            key: string;
        };
        /** @description How far the running notifiers have pushed an environment: a deploy gate waits until `version` reaches its own */
        EnvironmentRelay: {
            /** @example prod */
            environment: string;
            /** @description The lowest version every live notifier has relayed to its sockets; null when no notifier is live or one has relayed nothing here yet */
            version: number | null;
            /** @description The environment's version now */
            currentVersion: number;
            /** @description Each live notifier (one that refreshed its report within the last few seconds) and the last version it relayed here */
            notifiers: {
                id: string;
                version: number | null;
            }[];
        };
        /**
         * @description Whether people change the environment only through change requests, and how many approvals those need
         * @example {
         *       "protected": true,
         *       "requiredApprovals": 1
         *     }
         */
        EnvironmentProtection: {
            protected?: boolean;
            requiredApprovals?: number;
        };
        /** @description A project: the flags and segments of one team or app (`default` holds those made before projects) */
        Project: {
            /** @example web */
            key: string;
            name: string;
            description: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description A new project: its key (name defaults to the key) */
        CreateProject: {
            /** @example web */
            key: string;
            name?: string;
            description?: string;
        };
        /** @description A project's new name and/or description (its key never changes) */
        UpdateProject: {
            name?: string;
            description?: string;
        };
        /** @description A page of flags ordered by key; `nextAfter` is the cursor for the next page (null on the last) */
        FlagPage: {
            flags: {
                /** Format: uuid */
                id: string;
                /**
                 * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
                 * @example new_ui
                 */
                key: string;
                description: string;
                /**
                 * @description What the flag is for; sets how long it is expected to live
                 * @example release
                 * @enum {string}
                 */
                type: "release" | "experiment" | "operational" | "kill-switch" | "permission";
                /** @example web */
                project: string;
                /** @description Short lowercase words to group and find the flag by */
                tags: string[];
                /** @description The team or person answering for the flag; null: nobody yet */
                owner: string | null;
                /** Format: date-time */
                createdAt: string;
                /** Format: date-time */
                updatedAt: string;
                /** Format: date-time */
                archivedAt: string | null;
                environments: {
                    [key: string]: components["schemas"]["AdminFlagState"];
                };
                staleReasons?: components["schemas"]["StaleReason"][];
            }[];
            /**
             * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
             * @example new_ui
             */
            nextAfter: string | null;
        };
        /** @description A flag state as the admin API shows it, with when the flag was last evaluated there */
        AdminFlagState: {
            /** Format: uuid */
            id: string;
            /**
             * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
             * @example new_ui
             */
            key: string;
            /**
             * @description The project the flag is in
             * @example web
             */
            project: string;
            /** @example prod */
            environment: string;
            enabled: boolean;
            rollout: number | null;
            strategies: components["schemas"]["Strategy"][];
            variants: components["schemas"]["Variant"][];
            dependencies: components["schemas"]["Dependency"][];
            version: number;
            /** Format: date-time */
            updatedAt: string;
            updatedBy: string;
            archived?: boolean;
            /**
             * Format: date-time
             * @description When the flag was last evaluated in this environment; null: never
             */
            lastSeenAt: string | null;
        };
        /** @description One way a flag can be on (Unleash's activation strategy): its rule, parameters (strings), constraints, segments and own variants */
        Strategy: {
            id?: string;
            name: string;
            title?: string;
            disabled?: boolean;
            parameters?: {
                [key: string]: string;
            };
            constraints?: components["schemas"]["Constraint"][];
            segments?: number[];
            variants?: components["schemas"]["Variant"][];
        };
        /** @description One condition on a context field (Unleash's constraint): all of a strategy's constraints must hold */
        Constraint: {
            contextName: string;
            operator: string;
            values?: string[];
            value?: string;
            inverted?: boolean;
            caseInsensitive?: boolean;
        };
        /** @description A weighted variant (weights out of 1000 across the list) with an optional payload */
        Variant: {
            name: string;
            weight: number;
            weightType?: string;
            stickiness?: string;
            payload?: {
                type: string;
                value: string;
            };
            overrides?: {
                contextName: string;
                values: string[];
            }[];
        };
        /** @description This flag is on only when another flag is on (or off, with enabled: false), optionally with one of the named variants */
        Dependency: {
            feature: string;
            enabled?: boolean;
            variants?: string[];
        };
        /** @description Why a flag looks stale: the rule and a sentence for people */
        StaleReason: {
            /** @enum {string} */
            rule: "past-lifetime" | "not-evaluated" | "unchanged-everywhere";
            message: string;
        };
        /** @description A flag with its state in every environment */
        Flag: {
            /** Format: uuid */
            id: string;
            /**
             * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
             * @example new_ui
             */
            key: string;
            description: string;
            /**
             * @description What the flag is for; sets how long it is expected to live
             * @example release
             * @enum {string}
             */
            type: "release" | "experiment" | "operational" | "kill-switch" | "permission";
            /** @example web */
            project: string;
            /** @description Short lowercase words to group and find the flag by */
            tags: string[];
            /** @description The team or person answering for the flag; null: nobody yet */
            owner: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** Format: date-time */
            archivedAt: string | null;
            environments: {
                [key: string]: components["schemas"]["AdminFlagState"];
            };
        };
        /** @description A new flag: its key, a description, and optionally its initial state per environment */
        CreateFlag: {
            /**
             * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
             * @example new_ui
             */
            key: string;
            description?: string;
            /**
             * @description release (the default), experiment, operational, kill-switch or permission
             * @example release
             * @enum {string}
             */
            type?: "release" | "experiment" | "operational" | "kill-switch" | "permission";
            environments?: {
                [key: string]: {
                    enabled?: boolean;
                    rollout?: number;
                };
            };
            /**
             * @description The project the flag goes in (default: `default`)
             * @example web
             */
            project?: string;
            /**
             * @description Short lowercase words to group and find flags by (at most 20)
             * @example [
             *       "checkout",
             *       "team:payments"
             *     ]
             */
            tags?: string[];
            /**
             * @description The team or person answering for the flag (a name or an email)
             * @example payments
             */
            owner?: string | null;
        };
        /** @description A page of a flag's metadata changes, oldest first; `nextAfter` is the cursor for the next page (null on the last) */
        FlagMetadataChangePage: {
            changes: components["schemas"]["FlagMetadataChange"][];
            /** @description The cursor of the next page; null when this page reached the last change */
            nextAfter: number | null;
            /** @description Where this page ends, always: pass it as `after` later to read what was changed since */
            cursor: number;
        };
        /** @description A change of a flag's description, type, tags or owner: who made it, the fields before and after */
        FlagMetadataChange: {
            id: number;
            /**
             * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
             * @example new_ui
             */
            flag: string;
            /** @example web */
            project: string;
            actor: components["schemas"]["Actor"];
            before: {
                description: string;
                /**
                 * @description What the flag is for; sets how long it is expected to live
                 * @example release
                 * @enum {string}
                 */
                type: "release" | "experiment" | "operational" | "kill-switch" | "permission";
                tags: string[];
                owner: string | null;
            };
            after: {
                description: string;
                /**
                 * @description What the flag is for; sets how long it is expected to live
                 * @example release
                 * @enum {string}
                 */
                type: "release" | "experiment" | "operational" | "kill-switch" | "permission";
                tags: string[];
                owner: string | null;
            };
            /** Format: date-time */
            createdAt: string;
        };
        /** @description Who made a change: a user, a token, a ramp, a schedule, a change request or the system */
        Actor: {
            /** @enum {string} */
            type: "user" | "token" | "ramp" | "schedule" | "change-request" | "system";
            id: string;
            name: string;
            email?: string;
        };
        /** @description A flag's new description, type, tags, owner and/or project */
        UpdateFlag: {
            description?: string;
            /**
             * @description What the flag is for; sets how long it is expected to live
             * @example release
             * @enum {string}
             */
            type?: "release" | "experiment" | "operational" | "kill-switch" | "permission";
            /**
             * @description Moves the flag to this project (a change in every environment)
             * @example web
             */
            project?: string;
            /**
             * @description Replaces all the tags ([] removes them)
             * @example [
             *       "checkout",
             *       "team:payments"
             *     ]
             */
            tags?: string[];
            /**
             * @description The new owner; null: nobody
             * @example payments
             */
            owner?: string | null;
        };
        /** @description A flag's state in one environment: what SDKs evaluate and what every change carries */
        FlagState: {
            /** Format: uuid */
            id: string;
            /**
             * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
             * @example new_ui
             */
            key: string;
            /**
             * @description The project the flag is in
             * @example web
             */
            project: string;
            /** @example prod */
            environment: string;
            enabled: boolean;
            rollout: number | null;
            strategies: components["schemas"]["Strategy"][];
            variants: components["schemas"]["Variant"][];
            dependencies: components["schemas"]["Dependency"][];
            version: number;
            /** Format: date-time */
            updatedAt: string;
            updatedBy: string;
            archived?: boolean;
        };
        /**
         * @description The fields of a state to change; at least one
         * @example {
         *       "enabled": true,
         *       "rollout": 25
         *     }
         */
        StateChange: {
            enabled?: boolean;
            rollout?: number;
            strategyId?: string;
        };
        /**
         * @description A state's whole configuration: on or off, the ordered strategies (the flag is on for a context when any matches), the state's variants and its dependencies
         * @example {
         *       "enabled": true,
         *       "strategies": [
         *         {
         *           "name": "flexibleRollout",
         *           "parameters": {
         *             "rollout": "100",
         *             "stickiness": "default",
         *             "groupId": "new_ui"
         *           },
         *           "constraints": [
         *             {
         *               "contextName": "email",
         *               "operator": "STR_ENDS_WITH",
         *               "values": [
         *                 "@acme.com"
         *               ],
         *               "caseInsensitive": true
         *             }
         *           ]
         *         }
         *       ],
         *       "variants": [
         *         {
         *           "name": "blue",
         *           "weight": 1000,
         *           "payload": {
         *             "type": "string",
         *             "value": "blue"
         *           }
         *         }
         *       ],
         *       "dependencies": []
         *     }
         */
        StateConfig: {
            enabled: boolean;
            strategies: {
                id?: string;
                name: string;
                title?: string | null;
                disabled?: boolean | null;
                parameters?: {
                    [key: string]: string | number | boolean;
                };
                constraints?: {
                    contextName: string;
                    operator: string;
                    values?: string[];
                    value?: string;
                    inverted?: boolean;
                    caseInsensitive?: boolean;
                }[];
                segments?: number[];
                variants?: {
                    name: string;
                    weight: number;
                    /** @enum {string} */
                    weightType?: "fix" | "variable";
                    stickiness?: string;
                    payload?: {
                        type: string;
                        value: string;
                    };
                    overrides?: {
                        contextName: string;
                        values: string[];
                    }[];
                }[];
                sortOrder?: number;
            }[];
            /** @default [] */
            variants: {
                name: string;
                weight: number;
                /** @enum {string} */
                weightType?: "fix" | "variable";
                stickiness?: string;
                payload?: {
                    type: string;
                    value: string;
                };
                overrides?: {
                    contextName: string;
                    values: string[];
                }[];
            }[];
            /** @default [] */
            dependencies: {
                /**
                 * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
                 * @example new_ui
                 */
                feature: string;
                enabled?: boolean;
                variants?: string[];
            }[];
        };
        /** @description Whole configurations of several flags in one environment, each with the version it was read at */
        FlagStateBatch: {
            changes: {
                /**
                 * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
                 * @example new_ui
                 */
                flag: string;
                /** @description The state's version you last read (as If-Match): a different current version refuses the whole batch with 412 */
                expectedVersion?: number;
                set: components["schemas"]["StateConfig"];
            }[];
        };
        /** @description Every segment, by id */
        SegmentList: {
            segments: components["schemas"]["Segment"][];
        };
        /** @description A named, reusable list of constraints that strategies reference by id */
        Segment: {
            id: number;
            name: string;
            /**
             * @description The project the segment is in: only its flags may use it
             * @example web
             */
            project: string;
            description: string;
            constraints: components["schemas"]["Constraint"][];
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            deleted?: boolean;
        };
        /**
         * @description A new segment: a unique name and the constraints that must all hold
         * @example {
         *       "name": "acme-staff",
         *       "description": "Everyone with an @acme.com address",
         *       "constraints": [
         *         {
         *           "contextName": "email",
         *           "operator": "STR_ENDS_WITH",
         *           "values": [
         *             "@acme.com"
         *           ],
         *           "caseInsensitive": true
         *         }
         *       ]
         *     }
         */
        CreateSegment: {
            name: string;
            /** @default  */
            description: string;
            constraints: {
                contextName: string;
                operator: string;
                values?: string[];
                value?: string;
                inverted?: boolean;
                caseInsensitive?: boolean;
            }[];
            /**
             * @description The project the segment is in (default: `default`); only its flags may use it
             * @example web
             */
            project?: string;
        };
        /**
         * @description The fields of a segment to change; every flag using it evaluates with the new constraints at once
         * @example {
         *       "constraints": [
         *         {
         *           "contextName": "email",
         *           "operator": "STR_ENDS_WITH",
         *           "values": [
         *             "@acme.com"
         *           ],
         *           "caseInsensitive": true
         *         }
         *       ]
         *     }
         */
        UpdateSegment: {
            name?: string;
            description?: string;
            constraints?: {
                contextName: string;
                operator: string;
                values?: string[];
                value?: string;
                inverted?: boolean;
                caseInsensitive?: boolean;
            }[];
        };
        /** @description What an import did: the flags and segments it created, changed or found as they were, the environment's version after it, and what it kept that FlagShip cannot evaluate */
        UnleashImportResult: {
            /** @example prod */
            environment: string;
            version: number;
            flags: {
                created: string[];
                updated: string[];
                unchanged: string[];
            };
            segments: {
                created: number[];
                updated: number[];
                unchanged: number[];
            };
            warnings: {
                path: (string | number)[];
                code: string;
                message: string;
            }[];
        };
        /**
         * @description An Unleash client-API state, as GET /api/client/features returns it: features (flags with their strategies, variants and dependencies) and segments
         * @example {
         *       "version": 2,
         *       "segments": [
         *         {
         *           "id": 1,
         *           "name": "acme-staff",
         *           "constraints": [
         *             {
         *               "contextName": "email",
         *               "operator": "STR_ENDS_WITH",
         *               "values": [
         *                 "@acme.com"
         *               ]
         *             }
         *           ]
         *         }
         *       ],
         *       "features": [
         *         {
         *           "name": "new_checkout",
         *           "enabled": true,
         *           "strategies": [
         *             {
         *               "name": "flexibleRollout",
         *               "parameters": {
         *                 "rollout": "25",
         *                 "stickiness": "default",
         *                 "groupId": "new_checkout"
         *               },
         *               "segments": [
         *                 1
         *               ]
         *             }
         *           ],
         *           "variants": [
         *             {
         *               "name": "blue",
         *               "weight": 1000,
         *               "payload": {
         *                 "type": "string",
         *                 "value": "blue"
         *               }
         *             }
         *           ]
         *         }
         *       ]
         *     }
         */
        UnleashImport: {
            version?: number;
            features: ({
                /**
                 * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
                 * @example new_ui
                 */
                name: string;
                description?: string | null;
                type?: string;
                enabled: boolean;
                /** @default [] */
                strategies: {
                    id?: string;
                    name: string;
                    title?: string | null;
                    disabled?: boolean | null;
                    parameters?: {
                        [key: string]: string | number | boolean;
                    };
                    constraints?: {
                        contextName: string;
                        operator: string;
                        values?: string[];
                        value?: string;
                        inverted?: boolean;
                        caseInsensitive?: boolean;
                    }[];
                    segments?: number[];
                    variants?: {
                        name: string;
                        weight: number;
                        /** @enum {string} */
                        weightType?: "fix" | "variable";
                        stickiness?: string;
                        payload?: {
                            type: string;
                            value: string;
                        };
                        overrides?: {
                            contextName: string;
                            values: string[];
                        }[];
                    }[];
                    sortOrder?: number;
                }[];
                /** @default [] */
                variants: {
                    name: string;
                    weight: number;
                    /** @enum {string} */
                    weightType?: "fix" | "variable";
                    stickiness?: string;
                    payload?: {
                        type: string;
                        value: string;
                    };
                    overrides?: {
                        contextName: string;
                        values: string[];
                    }[];
                }[] | null;
                /** @default [] */
                dependencies: {
                    /**
                     * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
                     * @example new_ui
                     */
                    feature: string;
                    enabled?: boolean;
                    variants?: string[];
                }[];
                /**
                 * @description The project a new flag goes in (default: `default`); a flag that exists stays where it is
                 * @example web
                 */
                project?: string;
            } & {
                [key: string]: unknown;
            })[];
            /** @default [] */
            segments: ({
                id: number;
                name?: string;
                description?: string | null;
                constraints: {
                    contextName: string;
                    operator: string;
                    values?: string[];
                    value?: string;
                    inverted?: boolean;
                    caseInsensitive?: boolean;
                }[];
                /**
                 * @description The project a new segment goes in (default: `default`); one that exists stays where it is
                 * @example web
                 */
                project?: string;
            } & {
                [key: string]: unknown;
            })[];
        } & {
            [key: string]: unknown;
        };
        /** @description One environment's flags and every segment as an Unleash client-API state (version 2), which POST /v1/import/unleash and Unleash SDKs read */
        UnleashExport: {
            /** @enum {number} */
            version: 2;
            features: {
                /**
                 * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
                 * @example new_ui
                 */
                name: string;
                description: string;
                type: string;
                enabled: boolean;
                stale: boolean;
                impressionData: boolean;
                project: string;
                strategies: components["schemas"]["Strategy"][];
                variants: components["schemas"]["Variant"][];
                dependencies: components["schemas"]["Dependency"][];
            }[];
            segments: {
                id: number;
                name: string;
                description: string;
                project: string;
                constraints: components["schemas"]["Constraint"][];
            }[];
        };
        /** @description A page of change events, oldest first; `nextAfter` is the cursor for the next page (null on the last) */
        EventPage: {
            events: components["schemas"]["ChangeEvent"][];
            /** @description The cursor of the next page; null when this page reached the end of the log */
            nextAfter: string | null;
            /** @description Where this page ends, always: pass it as `after` later to read what was written since */
            cursor: string;
        };
        /** @description One entry of the change log: a flag change (with `flag`) or a segment change (with `segment`) */
        ChangeEvent: components["schemas"]["FlagChangeEvent"] | components["schemas"]["SegmentChangeEvent"];
        /** @description One change of a flag in one environment: who made it, the environment version it produced, the state before and after */
        FlagChangeEvent: {
            id: number;
            /** @example prod */
            environment: string;
            version: number;
            /**
             * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
             * @example new_ui
             */
            flag: string;
            /** @enum {string} */
            action: "created" | "updated" | "archived";
            actor: components["schemas"]["Actor"];
            before: components["schemas"]["FlagState"] | null;
            after: components["schemas"]["FlagState"];
            /** Format: date-time */
            createdAt: string;
            /** @description The change request or schedule this change was part of (its other changes share the version) */
            changeRequestId?: string;
        };
        /** @description One change of a segment, recorded in every environment with that environment's version: who made it, the segment before and after (deleted: true once deleted) */
        SegmentChangeEvent: {
            id: number;
            /** @example prod */
            environment: string;
            version: number;
            segment: number;
            /** @enum {string} */
            action: "created" | "updated" | "deleted";
            actor: components["schemas"]["Actor"];
            before: components["schemas"]["Segment"] | null;
            after: components["schemas"]["Segment"];
            /** Format: date-time */
            createdAt: string;
            /** @description The change request or schedule this change was part of */
            changeRequestId?: string;
        };
        /** @description An environment's live flags at one version: what SDKs hold and evaluate */
        Snapshot: {
            /** @example prod */
            environment: string;
            version: number;
            flags: components["schemas"]["FlagState"][];
            segments: components["schemas"]["Segment"][];
        };
        /** @description Each flag evaluated for the context at one environment version */
        PlaygroundResponse: {
            /** @example prod */
            environment: string;
            version: number;
            flags: components["schemas"]["PlaygroundAnswer"][];
        };
        /** @description One flag's answer as /v1/client/evaluate gives it, and with `explain` its trace */
        PlaygroundAnswer: {
            /**
             * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
             * @example new_ui
             */
            key: string;
            /** @description Unleash's isEnabled */
            enabled: boolean;
            variant: components["schemas"]["EvaluatedVariant"];
            value: components["schemas"]["FlagValue"];
            /** @enum {string} */
            reason: "DISABLED" | "STATIC" | "SPLIT" | "TARGETING_MATCH" | "DEFAULT" | "ERROR";
            /** @enum {string} */
            errorCode?: "FLAG_NOT_FOUND" | "TARGETING_KEY_MISSING" | "PARSE_ERROR";
            errorMessage?: string;
            trace?: components["schemas"]["TraceStep"][];
        };
        /**
         * @description Unleash's getVariant answer
         * @example {
         *       "name": "blue",
         *       "enabled": true,
         *       "payload": {
         *         "type": "string",
         *         "value": "blue"
         *       },
         *       "featureEnabled": true
         *     }
         */
        EvaluatedVariant: {
            name: string;
            enabled: boolean;
            payload?: {
                type: string;
                value: string;
            };
            featureEnabled: boolean;
        };
        /** @description The chosen variant's payload, typed (number, parsed JSON, string or csv text), else whether the flag is on */
        FlagValue: boolean | string | number | null | unknown[] | {
            [key: string]: unknown;
        };
        /** @description One check of an evaluation, in the order it ran: what it looked at, the context value it saw, and whether it held */
        TraceStep: {
            /** @enum {string} */
            kind: "flag" | "dependency" | "strategy" | "constraint" | "segment" | "rollout" | "variant";
            held: boolean;
        } & {
            [key: string]: unknown;
        };
        /**
         * @description A context to evaluate in one environment, now or as of a version or time; `explain` adds each answer's trace
         * @example {
         *       "environment": "prod",
         *       "context": {
         *         "targetingKey": "user-42",
         *         "email": "ada@acme.com"
         *       },
         *       "explain": true
         *     }
         */
        PlaygroundRequest: {
            /** @example prod */
            environment: string;
            context: components["schemas"]["EvaluationContext"];
            flags?: string[];
            asOf?: number | string;
            explain?: boolean;
        };
        /**
         * @description Who is asking: targetingKey (or key, or userId) picks the bucket; other attributes feed constraints
         * @example {
         *       "targetingKey": "user-42",
         *       "email": "ada@acme.com",
         *       "properties": {
         *         "plan": "pro"
         *       }
         *     }
         */
        EvaluationContext: {
            targetingKey?: string;
            key?: string;
            userId?: string;
            sessionId?: string;
            remoteAddress?: string;
            environment?: string;
            appName?: string;
            currentTime?: string;
            properties?: {
                [key: string]: string | number | boolean | null;
            };
        } & {
            [key: string]: unknown;
        };
        /** @description A change request (or a schedule) and where it stands */
        ChangeRequest: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "change-request" | "schedule";
            /** @example prod */
            environment: string;
            title: string;
            description: string;
            changes: unknown[];
            /** @enum {string} */
            state: "open" | "approved" | "scheduled" | "applied" | "rejected" | "cancelled" | "conflicted";
            requiredApprovals: number;
            approvals: {
                approver: components["schemas"]["Actor"];
                /** Format: date-time */
                createdAt: string;
            }[];
            /** Format: date-time */
            scheduledAt: string | null;
            author: components["schemas"]["Actor"];
            appliedVersion: number | null;
            /** Format: date-time */
            appliedAt: string | null;
            appliedBy: components["schemas"]["Actor"] | null;
            closedBy: components["schemas"]["Actor"] | null;
            /** Format: date-time */
            closedAt: string | null;
            closeReason: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /**
         * @description The environment version whose state of this flag to bring back
         * @example {
         *       "version": 12
         *     }
         */
        RestoreRequest: {
            version: number;
        };
        /**
         * @description The environment whose current state of this flag to copy here
         * @example {
         *       "from": "staging"
         *     }
         */
        CopyRequest: {
            /** @example prod */
            from: string;
        };
        /** @description What a promote wrote, as one environment version */
        PromoteResult: {
            /** @description The one environment version every promoted state took; null: every state already was as in `from` */
            version: number | null;
            /** @description Each state in the target after the promote, in the order named; `changed` false where it already was so */
            states: {
                /** Format: uuid */
                id: string;
                /**
                 * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
                 * @example new_ui
                 */
                key: string;
                /**
                 * @description The project the flag is in
                 * @example web
                 */
                project: string;
                /** @example prod */
                environment: string;
                enabled: boolean;
                rollout: number | null;
                strategies: components["schemas"]["Strategy"][];
                variants: components["schemas"]["Variant"][];
                dependencies: components["schemas"]["Dependency"][];
                version: number;
                /** Format: date-time */
                updatedAt: string;
                updatedBy: string;
                archived?: boolean;
                changed: boolean;
            }[];
        };
        /**
         * @description The environment to copy from and the flags whose states to copy, with the versions of their states there and here you read
         * @example {
         *       "from": "staging",
         *       "flags": [
         *         "new_ui",
         *         "checkout"
         *       ],
         *       "expectedVersions": {
         *         "new_ui": 12
         *       },
         *       "sourceVersions": {
         *         "new_ui": 40,
         *         "checkout": 38
         *       }
         *     }
         */
        PromoteRequest: {
            /**
             * @description The environment whose current states to copy
             * @example prod
             */
            from: string;
            flags: string[];
            /** @description For each flag you name here, the version of its state in `{env}` you last read (as If-Match): another one refuses the whole promote with 412 */
            expectedVersions?: {
                [key: string]: number;
            };
            /** @description For each flag you name here, the version of its state in `from` you looked at (on a compare page, say): another one refuses the whole promote with 412, so what is promoted is what you saw */
            sourceVersions?: {
                [key: string]: number;
            };
            /** @description The title of the change request opened in a protected environment (a title naming the flags otherwise) */
            title?: string;
        };
        /** @description An API token (never its secret): admin, sdk or frontend bound to one environment, or personal (acting as its user) */
        Token: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @enum {string} */
            kind: "admin" | "sdk" | "frontend" | "personal";
            /** @example prod */
            environment: string | null;
            /** @description The projects an sdk or frontend token sees, or ["*"] for every project (admin tokens: always ["*"]) */
            projects: string[];
            /** Format: uuid */
            userId: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string | null;
            /** Format: date-time */
            revokedAt: string | null;
        };
        /** @description A created token and its secret, shown this once */
        CreatedToken: {
            token: components["schemas"]["Token"];
            /** @description Shown once; only its hash is stored. */
            secret: string;
            /** @description sdk and frontend tokens: the same secret in Unleash's format, `project:environment.secret` (`*:` for every project, `[]:` for several), which the Unleash routes accept */
            unleashSecret?: string;
        };
        /** @description A new token: admin, or sdk with the environment it is bound to */
        CreateToken: {
            name: string;
            /** @enum {string} */
            kind: "admin";
        } | {
            name: string;
            /** @enum {string} */
            kind: "sdk";
            /** @example prod */
            environment: string;
            /**
             * @description Project keys this token sees, or ["*"] for every project
             * @example [
             *       "web"
             *     ]
             */
            projects?: ("*" | string)[];
        } | {
            name: string;
            /** @enum {string} */
            kind: "frontend";
            /** @example prod */
            environment: string;
            /**
             * @description Project keys this token sees, or ["*"] for every project
             * @example [
             *       "web"
             *     ]
             */
            projects?: ("*" | string)[];
        };
        /** @description A person who signs in (never a password or its hash) */
        User: {
            /** Format: uuid */
            id: string;
            email: string;
            name: string;
            roles: components["schemas"]["RoleGrant"][];
            /** @enum {string} */
            signIn: "password" | "sso" | "invited";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description A role on one project, or on every project ('*') */
        RoleGrant: {
            /**
             * @description viewer reads everything but secrets; editor also changes flags, segments and ramps; admin also users, tokens, environments and webhooks
             * @enum {string}
             */
            role: "viewer" | "editor" | "admin";
            /** @default * */
            project: string;
        };
        /** @description The new user, and their invitation when no password was given */
        CreatedUser: {
            /** Format: uuid */
            id: string;
            email: string;
            name: string;
            roles: components["schemas"]["RoleGrant"][];
            /** @enum {string} */
            signIn: "password" | "sso" | "invited";
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description Without a password: the invitation (valid 7 days) */
            invite?: {
                /** @description Send it to the person: it opens the console to set a password. It works once. */
                url: string;
                /** Format: date-time */
                expiresAt: string;
            };
        };
        /** @description A new user: email, name, roles (per project; '*' for every project), optionally a first password */
        CreateUser: {
            email: string;
            name: string;
            /** @default [] */
            roles: components["schemas"]["RoleGrant"][];
            /** @description A first password for a local account (12 to 256 characters, not the email). Without it, the answer carries an invitation link, or the person signs in with SSO. */
            password?: string;
        };
        /** @description What to change of a user; roles replace the previous ones and count from their next request */
        UpdateUser: {
            email?: string;
            name?: string;
            roles?: components["schemas"]["RoleGrant"][];
        };
        /** @description A one-time link to set a password (its secret is in this answer only) */
        PasswordLink: {
            /** @description Send it to the person: it opens the console to set a password. It works once. */
            url: string;
            /** Format: date-time */
            expiresAt: string;
        };
        /** @description Who is asking: a user (session or personal token) or an admin token, with their roles */
        Me: {
            id: string;
            email: string | null;
            name: string;
            /** @enum {string} */
            kind: "admin-token" | "user";
            roles: components["schemas"]["RoleGrant"][];
            /** @description With a session cookie: send it as X-FlagShip-CSRF on every POST, PUT, PATCH and DELETE. Null for bearer tokens, which need none. */
            csrfToken: string | null;
        };
        /** @description A personal token: acts as you, with your roles, until it expires, you revoke it, or you are removed */
        CreatePersonalToken: {
            name: string;
            /** Format: date-time */
            expiresAt?: string;
        };
        /** @description How people can sign in here */
        SignInMethods: {
            /** @description Local accounts (POST /auth/login) */
            password: boolean;
            /** @description Single sign-on when it is configured: where the console's button leads */
            sso: {
                label: string;
                loginUrl: string;
            } | null;
        };
        /** @description Who signed in, and the CSRF token their changes send as X-FlagShip-CSRF */
        SignedIn: {
            user: components["schemas"]["User"];
            csrfToken: string;
        };
        /** @description A local account's email and password */
        SignIn: {
            email: string;
            password: string;
        };
        /** @description Answers an invitation or reset link with a new password */
        SetPassword: {
            /** @description The secret of an invitation or reset link (after `#token=` in its URL) */
            token: string;
            password: string;
        };
        /** @description Every live flag of the environment evaluated for one context, at one environment version */
        ClientEvaluation: {
            /** @example prod */
            environment: string;
            version: number;
            flags: components["schemas"]["FlagEvaluation"][];
        };
        /** @description One flag evaluated for one context */
        FlagEvaluation: {
            /**
             * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
             * @example new_ui
             */
            key: string;
            /** @description Unleash's isEnabled */
            enabled: boolean;
            variant: components["schemas"]["EvaluatedVariant"];
            value: components["schemas"]["FlagValue"];
            /** @enum {string} */
            reason: "DISABLED" | "STATIC" | "SPLIT" | "TARGETING_MATCH" | "DEFAULT" | "ERROR";
            /** @enum {string} */
            errorCode?: "FLAG_NOT_FOUND" | "TARGETING_KEY_MISSING" | "PARSE_ERROR";
            errorMessage?: string;
        };
        /**
         * @description The context to evaluate every flag for
         * @example {
         *       "context": {
         *         "targetingKey": "user-42",
         *         "email": "ada@acme.com"
         *       }
         *     }
         */
        ClientEvaluateRequest: {
            context: components["schemas"]["EvaluationContext"];
        };
        /** @description An OFREP evaluation: value, variant, reason and metadata */
        OfrepEvaluationSuccess: {
            key: string;
            value: components["schemas"]["FlagValue"];
            /**
             * @example STATIC
             * @example SPLIT
             * @example TARGETING_MATCH
             * @example DISABLED
             */
            reason: string;
            /**
             * @description The chosen variant's name, else on / off
             * @example blue
             * @example on
             * @example off
             */
            variant: string;
            /**
             * @example {
             *       "environment": "prod",
             *       "version": 12,
             *       "enabled": true,
             *       "rollout": 25,
             *       "bucket": 17
             *     }
             */
            metadata: {
                [key: string]: string | number | boolean;
            };
        };
        /** @description A failed OFREP evaluation: an OFREP error code and details */
        OfrepEvaluationFailure: {
            key: string;
            /** @enum {string} */
            errorCode: "PARSE_ERROR" | "TARGETING_KEY_MISSING" | "INVALID_CONTEXT" | "GENERAL";
            errorDetails?: string;
        };
        /** @description An OFREP error that is not about one flag (authentication, a dependency down) */
        OfrepGeneralError: {
            errorDetails: string;
        };
        /** @description OFREP's FLAG_NOT_FOUND answer */
        OfrepFlagNotFound: {
            key: string;
            /** @enum {string} */
            errorCode: "FLAG_NOT_FOUND";
            errorDetails?: string;
        };
        /** @description An OFREP evaluation request: the context */
        OfrepEvaluationRequest: {
            context?: components["schemas"]["OfrepContext"];
        } & {
            [key: string]: unknown;
        };
        /** @description OFREP's evaluation context: `targetingKey` (the user id) and any attributes; every text at most 1000 characters */
        OfrepContext: {
            targetingKey?: string;
        } & {
            [key: string]: unknown;
        };
        /** @description Every flag of the environment evaluated for the context, and the event streams to listen on */
        OfrepBulkEvaluationSuccess: {
            flags: (components["schemas"]["OfrepEvaluationSuccess"] | components["schemas"]["OfrepEvaluationFailure"])[];
            eventStreams: components["schemas"]["OfrepEventStream"][];
        };
        /** @description Where an OFREP client listens for changes: an SSE URL */
        OfrepEventStream: {
            /** @enum {string} */
            type: "sse";
            /** @description Opaque; carries a credential that opens this stream only. Do not log it. */
            url: string;
            inactivityDelaySec?: number;
        };
        /** @description A bulk OFREP evaluation that failed as a whole (the context is invalid) */
        OfrepBulkEvaluationFailure: {
            /** @enum {string} */
            errorCode: "PARSE_ERROR" | "TARGETING_KEY_MISSING" | "INVALID_CONTEXT" | "GENERAL";
            errorDetails?: string;
        };
        /** @description A scheduled ramp of a flag's rollout in one environment: its status, steps and progress */
        Ramp: {
            /** Format: uuid */
            id: string;
            /**
             * @description Case-sensitive; letters and digits of any script, emoji, _ . - ~; 1-100 characters
             * @example new_ui
             */
            flag: string;
            /** @example prod */
            environment: string;
            strategyId: string | null;
            /** @enum {string} */
            status: "scheduled" | "running" | "paused" | "completed" | "cancelled" | "rolled_back";
            currentStep: number;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            stopReason: string | null;
            stoppedBy: string | null;
            /** Format: date-time */
            stoppedAt: string | null;
            steps: components["schemas"]["RampStep"][];
            startRollout: number | null;
            guards: components["schemas"]["RampGuard"][];
        };
        /** @description One step of a ramp: the rollout it sets, when it is planned, and when it was applied */
        RampStep: {
            position: number;
            rollout: number;
            /** Format: date-time */
            plannedAt: string;
            /** Format: date-time */
            appliedAt: string | null;
        };
        /** @description A ramp's guard and its last figures */
        RampGuard: {
            event: string;
            maxRatio: number;
            minExposures: number;
            /** @enum {string} */
            action: "pause" | "rollback";
            /** @description Users who got the flag on (or a variant) */
            treatment: {
                exposures: number;
                events: number;
                /** @description Events per exposure; null without exposures */
                rate: number | null;
            };
            /** @description Users who got the flag off */
            control: {
                exposures: number;
                events: number;
                /** @description Events per exposure; null without exposures */
                rate: number | null;
            };
            /** @description Treatment rate over control rate; null while either is unknown or control is 0 */
            ratio: number | null;
            /** @description The sequential test's evidence of a breach (mixture likelihood ratio); a breach needs threshold */
            evidence: number;
            /** @description 1 / alpha (docs/guarded-ramps.md) */
            threshold: number;
            /**
             * @description pending: not looked at yet; too-few-exposures; no-breach; breach (the ramp stopped)
             * @enum {string}
             */
            decision: "pending" | "too-few-exposures" | "no-breach" | "breach";
            /** Format: date-time */
            evaluatedAt: string | null;
            /** Format: date-time */
            breachedAt: string | null;
        };
        /** @description Either `steps: [{ rollout, at }]`, or `from`, `to`, `step` and `every` (ISO 8601 duration) with an optional `startAt`. */
        CreateRamp: {
            /** @description Explicit steps: rollouts rising, times in the future and in order */
            steps?: {
                rollout: number;
                /** Format: date-time */
                at: string;
            }[];
            /** @description First rollout (with to, step, every) */
            from?: number;
            /** @description Last rollout */
            to?: number;
            /** @description Rollout points added per step */
            step?: number;
            /**
             * @description Time between steps, ISO 8601 (PT1H)
             * @example PT1H
             */
            every?: string;
            /**
             * Format: date-time
             * @description When the first step applies (default: now)
             */
            startAt?: string;
            /** @description Allow a first step below the current rollout (which rolls the flag back at once) */
            allowDecrease?: boolean;
            /** @description The flexibleRollout strategy to drive, on a state that is not the simple case (one flexibleRollout) */
            strategyId?: string;
            /** @description Watch an event's rate among users who got the flag on against those who did not while the ramp runs; pause or roll back on a breach */
            guards?: {
                /**
                 * @description The event whose rate per exposure is watched ('errors', or any name apps track)
                 * @example errors
                 */
                event: string;
                /**
                 * @description The largest tolerated treatment rate over control rate (1.5: at most 50% more)
                 * @example 1.5
                 */
                maxRatio: number;
                /**
                 * @description Exposures each arm needs before the guard may decide (default 500)
                 * @default 500
                 * @example 500
                 */
                minExposures: number;
                /**
                 * @description On a breach: pause the ramp where it is, or roll the rollout back to where the ramp started
                 * @enum {string}
                 */
                action: "pause" | "rollback";
            }[];
        };
        /** @description A page of ramps, newest first */
        RampPage: {
            ramps: components["schemas"]["Ramp"][];
            /**
             * Format: uuid
             * @description Pass as after for the next page; null on the last
             */
            nextAfter: string | null;
        };
        /** @description Why the ramp is paused or cancelled (optional; recorded) */
        StopRamp: {
            reason?: string;
        };
        /**
         * @description A change request: changes to flags and segments of one environment, applied together as one version
         * @example {
         *       "environment": "prod",
         *       "title": "Launch the new checkout",
         *       "description": "Both flags at once, so no user sees half of it",
         *       "changes": [
         *         {
         *           "flag": "new_checkout",
         *           "set": {
         *             "enabled": true,
         *             "rollout": 100
         *           }
         *         },
         *         {
         *           "flag": "old_checkout_banner",
         *           "set": {
         *             "enabled": false
         *           }
         *         }
         *       ]
         *     }
         */
        CreateChangeRequest: {
            /** @example prod */
            environment: string;
            title: string;
            /** @default  */
            description: string;
            /** @description Each `{ flag, set: <PATCH or PUT body> }`, `{ segment, set: <PATCH body> }` or `{ flag, archive: true }`; each flag or segment once */
            changes: unknown[];
            /**
             * Format: date-time
             * @description Apply at this time once approved (else at approval, or when someone applies it)
             */
            scheduledAt?: string;
        };
        /** @description A change request with its diff against the current state and its comments */
        ChangeRequestDetail: {
            /** Format: uuid */
            id: string;
            /** @enum {string} */
            kind: "change-request" | "schedule";
            /** @example prod */
            environment: string;
            title: string;
            description: string;
            changes: unknown[];
            /** @enum {string} */
            state: "open" | "approved" | "scheduled" | "applied" | "rejected" | "cancelled" | "conflicted";
            requiredApprovals: number;
            approvals: {
                approver: components["schemas"]["Actor"];
                /** Format: date-time */
                createdAt: string;
            }[];
            /** Format: date-time */
            scheduledAt: string | null;
            author: components["schemas"]["Actor"];
            appliedVersion: number | null;
            /** Format: date-time */
            appliedAt: string | null;
            appliedBy: components["schemas"]["Actor"] | null;
            closedBy: components["schemas"]["Actor"] | null;
            /** Format: date-time */
            closedAt: string | null;
            closeReason: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            diff: {
                /** @description `flag:<key>` or `segment:<id>` */
                subject: string;
                /** @description The change as submitted */
                change?: unknown;
                /** @description The version the subject had when the request was opened */
                baseVersion: number | null;
                /** @description Its version now; different from baseVersion: the request conflicts */
                currentVersion: number | null;
                conflicted: boolean;
                /** @description The subject now (null if it no longer exists) */
                before?: unknown;
                /** @description The subject as the change would leave it (for a flag: the fields it sets over the current state) */
                after?: unknown;
            }[];
            comments: components["schemas"]["ChangeRequestComment"][];
        };
        /** @description A comment on a change request */
        ChangeRequestComment: {
            id: number;
            author: components["schemas"]["Actor"];
            body: string;
            /** Format: date-time */
            createdAt: string;
        };
        /**
         * @description Why the request is rejected or cancelled (optional)
         * @example {
         *       "reason": "Not before the freeze ends"
         *     }
         */
        ReasonInput: {
            reason?: string;
        };
        /**
         * @description A comment on a change request
         * @example {
         *       "body": "Looks right; the banner goes with it."
         *     }
         */
        CommentInput: {
            body: string;
        };
        /**
         * @description Changes applied together, as one version, at `at` (unprotected environments only)
         * @example {
         *       "environment": "dev",
         *       "changes": [
         *         {
         *           "flag": "new_checkout",
         *           "set": {
         *             "enabled": true
         *           }
         *         }
         *       ],
         *       "at": "2030-01-01T09:00:00Z"
         *     }
         */
        CreateSchedule: {
            /** @example prod */
            environment: string;
            /** @description Each `{ flag, set: <PATCH or PUT body> }`, `{ segment, set: <PATCH body> }` or `{ flag, archive: true }`; each flag or segment once */
            changes: unknown[];
            /** Format: date-time */
            at: string;
            /** @description Default: "Scheduled change" */
            title?: string;
        };
        /** @description What a batch added */
        ClientEventReceipt: {
            /** @description Buckets counted (0 for a batch already counted) */
            accepted: number;
            /** @description The batch id was counted before: nothing was added */
            duplicate: boolean;
        };
        /**
         * @description An app's exposures (event 'exposure') and named events per flag and variant ('on'/'off' for a flag without variants), each bucket a window of at most a minute
         * @example {
         *       "appName": "checkout",
         *       "batchId": "6f1c2a4e-2b0f-4a57-9a53-0c4f9d1e2b7a",
         *       "buckets": [
         *         {
         *           "flag": "new_checkout",
         *           "variant": "on",
         *           "event": "exposure",
         *           "count": 120,
         *           "start": "2026-12-01T09:00:00Z",
         *           "end": "2026-12-01T09:00:10Z"
         *         },
         *         {
         *           "flag": "new_checkout",
         *           "variant": "on",
         *           "event": "errors",
         *           "count": 3,
         *           "start": "2026-12-01T09:00:00Z",
         *           "end": "2026-12-01T09:00:10Z"
         *         },
         *         {
         *           "flag": "new_checkout",
         *           "variant": "off",
         *           "event": "checkout_value",
         *           "count": 4,
         *           "sum": 212.5,
         *           "start": "2026-12-01T09:00:00Z",
         *           "end": "2026-12-01T09:00:10Z"
         *         }
         *       ]
         *     }
         */
        ClientEventBatch: {
            appName: string;
            /**
             * Format: uuid
             * @description Makes a retry safe: a batch id already counted is acknowledged and not counted again
             */
            batchId?: string;
            buckets: {
                flag: string;
                variant: string;
                event: string;
                count: number;
                sum?: number;
                /** Format: date-time */
                start: string;
                /** Format: date-time */
                end: string;
            }[];
        };
        /** @description A flag in one environment, in the build guide's shape */
        GuideFlag: {
            /**
             * Format: uuid
             * @description The FlagShip flag's id (the same in every environment)
             */
            id: string;
            /**
             * @description The flag's key
             * @example new_ui
             */
            name: string;
            /**
             * @description The environment this state belongs to
             * @example prod
             */
            environment: string;
            enabled: boolean;
            /** @description The percentage of users the flag is on for, 0-100; null when its targeting in this environment is more than one percentage rollout (read /v1/flags/{key}/environments/{env} for the whole of it) */
            rollout: number | null;
            /**
             * Format: date-time
             * @description When this state last changed
             */
            updated_at: string;
        };
        /** @description The build guide's POST /flags fields as a JSON body (instead of query parameters) */
        GuideFlagInput: {
            /**
             * @description The flag name (FlagShip: its key); required
             * @example new_ui
             */
            name?: string;
            /**
             * @description The environment (dev, staging, prod are seeded); required
             * @example prod
             */
            env?: string;
            /** @description Whether the flag is on; when creating, false if not given; when setting, unchanged if not given */
            enabled?: boolean;
            /** @description Percentage 0-100; when creating, 100 if not given; when setting, unchanged if not given */
            rollout?: number;
        };
        /** @description The build guide's 404 body */
        GuideNotFound: {
            /** @enum {string} */
            detail: "Flag not found";
        };
        /** @description A flag's evaluation counts per environment and hour, newest first, and when it was last evaluated per environment */
        FlagUsage: {
            key: string;
            lastSeenAt: {
                [key: string]: string;
            };
            hours: {
                /** @example prod */
                environment: string;
                /** Format: date-time */
                hour: string;
                yes: number;
                no: number;
                variants: {
                    [key: string]: number;
                };
            }[];
        };
        /** @description Every live flag of the token's environment, and every segment, in Unleash's client API (v2) format */
        UnleashFeatures: {
            /** @enum {number} */
            version: 2;
            features: components["schemas"]["UnleashFeature"][];
            segments: components["schemas"]["UnleashSegment"][];
            query: {
                environment: string;
                namePrefix?: string;
                project?: string[];
            };
            meta: {
                revisionId: number;
                etag: string;
            };
        };
        /** @description One flag of the token's environment in Unleash's client API format */
        UnleashFeature: {
            name: string;
            type: string;
            enabled: boolean;
            project: string;
            stale: boolean;
            impressionData: boolean;
            strategies: components["schemas"]["UnleashStrategy"][];
            variants: components["schemas"]["Variant"][];
            dependencies?: components["schemas"]["Dependency"][];
        };
        /** @description A strategy in Unleash's client API: constraints, referenced segment ids, parameters as strings */
        UnleashStrategy: {
            name: string;
            parameters: {
                [key: string]: string;
            };
            constraints: components["schemas"]["Constraint"][];
            segments?: number[];
            variants?: components["schemas"]["Variant"][];
        };
        /** @description A segment strategies refer to by id */
        UnleashSegment: {
            id: number;
            name: string;
            constraints: components["schemas"]["Constraint"][];
        };
        /**
         * @description What an Unleash SDK says about itself when it starts
         * @example {
         *       "appName": "checkout",
         *       "instanceId": "checkout-7f9c",
         *       "sdkVersion": "unleash-node-sdk:6.12.1",
         *       "strategies": [
         *         "default",
         *         "flexibleRollout"
         *       ],
         *       "started": "2026-12-01T09:00:00.000Z",
         *       "interval": 60000
         *     }
         */
        UnleashRegister: {
            appName: string;
            instanceId?: string;
            sdkVersion?: string;
            strategies?: string[];
            started?: string | number;
            interval?: number;
        };
        /**
         * @description An Unleash SDK's evaluation counts for one interval (Unleash's client metrics body)
         * @example {
         *       "appName": "checkout",
         *       "instanceId": "checkout-7f9c",
         *       "bucket": {
         *         "start": "2026-12-01T09:00:00.000Z",
         *         "stop": "2026-12-01T09:01:00.000Z",
         *         "toggles": {
         *           "new_ui": {
         *             "yes": 120,
         *             "no": 30,
         *             "variants": {
         *               "blue": 80,
         *               "green": 40
         *             }
         *           }
         *         }
         *       }
         *     }
         */
        UnleashMetrics: {
            appName: string;
            instanceId?: string;
            environment?: string;
            bucket: {
                /** Format: date-time */
                start: string;
                /** Format: date-time */
                stop: string;
                toggles: {
                    [key: string]: {
                        /** @default 0 */
                        yes: number;
                        /** @default 0 */
                        no: number;
                        variants?: {
                            [key: string]: number;
                        };
                    };
                };
            };
        };
        /** @description Every flag that is on for the context (Unleash's frontend API answers only those) */
        UnleashFrontendResponse: {
            toggles: components["schemas"]["UnleashToggle"][];
        };
        /** @description One flag that is on for the context, with its variant (never its definition) */
        UnleashToggle: {
            name: string;
            enabled: boolean;
            variant: {
                name: string;
                enabled: boolean;
                payload?: {
                    type: string;
                    value: string;
                };
                feature_enabled: boolean;
            };
            impressionData: boolean;
        };
        /** @description The context to evaluate every flag for (unleash-proxy-client with usePOSTrequests) */
        UnleashFrontendRequest: {
            context?: components["schemas"]["UnleashFrontendContext"];
        };
        /** @description Who is asking, in Unleash's context fields; other top-level fields count as properties */
        UnleashFrontendContext: {
            userId?: string;
            sessionId?: string;
            remoteAddress?: string;
            environment?: string;
            appName?: string;
            currentTime?: string;
            properties?: {
                [key: string]: string;
            };
        } & {
            [key: string]: unknown;
        };
        /** @description A webhook with its signing secret, which no other response shows */
        CreatedWebhook: {
            webhook: components["schemas"]["Webhook"];
            /** @description The signing secret (whsec_…): shown in this response only */
            secret: string;
        };
        /** @description A subscription: where changes are POSTed, which ones, in what format, and whether it is enabled */
        Webhook: {
            /** Format: uuid */
            id: string;
            url: string;
            description: string;
            /** @enum {string} */
            format: "json" | "slack";
            environments: string[] | null;
            flags: string[] | null;
            enabled: boolean;
            /** @description Why FlagShip disabled it (repeated failures); null otherwise */
            disabledReason: string | null;
            /** Format: date-time */
            disabledAt: string | null;
            /**
             * Format: date-time
             * @description After a rotation, until when the previous secret also signs
             */
            previousSecretExpiresAt: string | null;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description A new subscription: the URL, optional filters and format */
        CreateWebhook: {
            /** @example https://hooks.example.com/flagship */
            url: string;
            description?: string;
            /**
             * @description json (default): the change event; slack: a short { text }
             * @enum {string}
             */
            format?: "json" | "slack";
            /**
             * @description Only changes in these environments; null (the default): every environment
             * @example [
             *       "prod"
             *     ]
             */
            environments?: string[] | null;
            /**
             * @description Only changes of these flags; null (the default): every flag (and, then only, segment changes)
             * @example [
             *       "new_ui"
             *     ]
             */
            flags?: string[] | null;
            enabled?: boolean;
        };
        /** @description The fields of a webhook to change; the others stay */
        UpdateWebhook: {
            /** @example https://hooks.example.com/flagship */
            url?: string;
            description?: string;
            /** @enum {string} */
            format?: "json" | "slack";
            /**
             * @description Only changes in these environments; null (the default): every environment
             * @example [
             *       "prod"
             *     ]
             */
            environments?: string[] | null;
            /**
             * @description Only changes of these flags; null (the default): every flag (and, then only, segment changes)
             * @example [
             *       "new_ui"
             *     ]
             */
            flags?: string[] | null;
            /** @description true re-enables a webhook FlagShip disabled, retrying at once */
            enabled?: boolean;
        };
        /** @description How the rotation treats the previous secret */
        RotateWebhookSecret: {
            /** @description How long the old secret also signs (default a day; 0: stop at once, e.g. after a leak) */
            previousSecretValidSeconds?: number;
        };
        /** @description Delivery attempts, newest first; `nextBefore` is the cursor for the next page (null on the last) */
        WebhookDeliveryPage: {
            deliveries: components["schemas"]["WebhookDelivery"][];
            nextBefore: number | null;
        };
        /** @description One delivery attempt: the event, the answer (status, latency, up to 1 KB) or the error */
        WebhookDelivery: {
            id: number;
            /** @description The webhook-id header: the same on every attempt at one event */
            messageId: string;
            type: string;
            eventId: number | null;
            environment: string | null;
            version: number | null;
            attempt: number;
            statusCode: number | null;
            latencyMs: number;
            error: string | null;
            /** @description At most 1 KB of the answer */
            responseBody: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        /** @description Whether the receiver accepted the ping (2xx), and the logged attempt */
        WebhookPingResult: {
            accepted: boolean;
            delivery: components["schemas"]["WebhookDelivery"];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
