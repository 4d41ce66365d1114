// An independent Matrix client with Element's own crypto stack (matrix-js-sdk and its Rust
// crypto), used by tests/integration/test_element_client.py to check that the bot can be read
// and answered by a client that, like Element with "exclude insecure devices", shares room keys
// only with cross-signed devices and decrypts only what cross-signed devices send.
//
// It logs in, sets up its own cross-signing (answering the server's password auth when asked),
// joins the given encrypted room, sends a command, waits for the bot's reply to it and decrypts
// it. The result is one JSON line on stdout; everything else (SDK logs) goes to stderr.
//
// Usage (the password comes from the environment, so it is not visible in the process list):
//   ELEMENT_CLIENT_PASSWORD=... node element_client.mjs --homeserver http://127.0.0.1:PORT \
//     --user @alice:localhost --room '!room' --bot @bot:localhost [--command '!whoami'] \
//     [--timeout 20] [--then-all-devices]
//
// With --then-all-devices the command is sent twice: first in OnlySignedDevicesIsolationMode
// (waiting --timeout seconds for a reply that is expected not to come when the bot's device is
// not cross-signed), then again after switching to AllDevicesIsolationMode, as a control that
// the bot is alive and it was the isolation mode that kept the first message from it.
//
// Exit codes: 0 the last command was answered and the answer decrypted; 2 bad arguments;
// 3 timed out waiting for the answer; 1 anything else. The JSON line is printed in every case.

import { parseArgs } from "node:util";

import { ClientEvent, createClient, RoomEvent, SyncState } from "matrix-js-sdk";
import {
    AllDevicesIsolationMode,
    OnlySignedDevicesIsolationMode,
} from "matrix-js-sdk/lib/crypto-api/index.js";

// The SDK logs through `console`; only our JSON line belongs on stdout.
for (const name of ["log", "info", "debug", "trace"]) {
    console[name] = (...args) => console.error(...args);
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const started = Date.now();
const result = { ok: false, sdk: null, user: null, device: null, sent: [], undecryptable: [] };
const seconds = () => (Date.now() - started) / 1000;

class Timeout extends Error {}

function fail(code, message) {
    result.error = message;
    result.elapsed_s = seconds();
    process.stdout.write(JSON.stringify(result) + "\n");
    console.error(`element_client: ${message}`);
    process.exit(code);
}

function options() {
    let parsed;
    try {
        parsed = parseArgs({
            options: {
                homeserver: { type: "string" },
                user: { type: "string" },
                room: { type: "string" },
                bot: { type: "string" },
                command: { type: "string", default: "!whoami" },
                timeout: { type: "string", default: "20" },
                "then-all-devices": { type: "boolean", default: false },
                verbose: { type: "boolean", default: false },
            },
        }).values;
    } catch (err) {
        fail(2, `${err.message}; see the usage at the top of element_client.mjs`);
    }
    for (const name of ["homeserver", "user", "room", "bot"]) {
        if (!parsed[name]) fail(2, `--${name} is required; see the usage at the top of element_client.mjs`);
    }
    const url = new URL(parsed.homeserver);
    if (!LOOPBACK.has(url.hostname)) {
        fail(2, `--homeserver must be on 127.0.0.1 (this client talks to local test servers only), not ${url.hostname}`);
    }
    const password = process.env.ELEMENT_CLIENT_PASSWORD;
    if (!password) fail(2, "set ELEMENT_CLIENT_PASSWORD to the user's password");
    const timeout = Number(parsed.timeout);
    if (!(timeout > 0)) fail(2, `--timeout must be a positive number of seconds, not ${parsed.timeout}`);
    return { ...parsed, password, timeoutMs: timeout * 1000 };
}

function stderrLogger(verbose, prefix = "js-sdk") {
    const write = (level) => (...msg) => console.error(`[${prefix}] ${level}`, ...msg);
    const quiet = () => {};
    return {
        trace: verbose ? write("TRACE") : quiet,
        debug: verbose ? write("DEBUG") : quiet,
        info: verbose ? write("INFO") : quiet,
        warn: write("WARN"),
        error: write("ERROR"),
        getChild: (namespace) => stderrLogger(verbose, `${prefix}:${namespace}`),
    };
}

/** Polls `check` until it returns something other than undefined, or throws Timeout. */
async function until(what, check, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await check();
        if (value !== undefined) return value;
        if (Date.now() > deadline) throw new Timeout(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

/** Element's flow: try without auth, and when the server asks, answer with the password. */
function passwordAuth(user, password, record) {
    return async (makeRequest) => {
        try {
            return await makeRequest(null);
        } catch (err) {
            const session = err?.data?.session;
            if (err?.httpStatus !== 401 || !err?.data?.flows) throw err;
            record.uia = "password";
            return await makeRequest({
                type: "m.login.password",
                identifier: { type: "m.id.user", user },
                password,
                session,
            });
        }
    };
}

async function main() {
    const opts = options();
    const { default: pkg } = await import("matrix-js-sdk/package.json", { with: { type: "json" } });
    result.sdk = pkg.version;
    const logger = stderrLogger(opts.verbose);

    const login = await createClient({ baseUrl: opts.homeserver, logger }).loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: opts.user },
        password: opts.password,
        initial_device_display_name: "samverkan test: matrix-js-sdk",
    });
    result.user = login.user_id;
    result.device = login.device_id;
    const client = createClient({
        baseUrl: opts.homeserver,
        userId: login.user_id,
        deviceId: login.device_id,
        accessToken: login.access_token,
        logger,
    });
    // In-memory crypto store: Node has no IndexedDB, and the device lives only for this run.
    await client.initRustCrypto({ useIndexedDB: false });
    const crypto = client.getCrypto();

    const prepared = new Promise((resolve, reject) => {
        client.on(ClientEvent.Sync, (state, _prev, data) => {
            if (state === SyncState.Prepared || state === SyncState.Syncing) resolve();
            if (state === SyncState.Error) logger.warn("sync error", data?.error);
        });
        setTimeout(() => reject(new Timeout("timed out waiting for the first sync")), opts.timeoutMs);
    });
    await client.startClient({ initialSyncLimit: 0 });
    await prepared;

    // Our own identity, as Element sets it up on first login.
    const record = { uia: "none" };
    await crypto.bootstrapCrossSigning({
        authUploadDeviceSigningKeys: passwordAuth(login.user_id, opts.password, record),
    });
    const own = await crypto.getDeviceVerificationStatus(login.user_id, login.device_id);
    result.cross_signing = {
        ready: await crypto.isCrossSigningReady(),
        own_device_signed: Boolean(own?.signedByOwner),
        uia: record.uia,
    };
    if (!result.cross_signing.ready || !result.cross_signing.own_device_signed) {
        throw new Error("could not cross-sign this client's own device");
    }
    crypto.setDeviceIsolationMode(new OnlySignedDevicesIsolationMode());

    // Replies from the bot, matched to the event they answer once decrypted.
    const botEvents = [];
    client.on(RoomEvent.Timeline, (event, room) => {
        if (room?.roomId === opts.room && event.getSender() === opts.bot) botEvents.push(event);
    });

    if (client.getRoom(opts.room)?.getMyMembership() !== "join") {
        await client.joinRoom(opts.room);
    }
    await until(
        "the room's encryption state",
        async () => ((await crypto.isEncryptionEnabledInRoom(opts.room)) ? true : undefined),
        opts.timeoutMs,
    );

    const devices = await crypto.getUserDeviceInfo([opts.bot], true);
    result.bot_devices = [];
    for (const deviceId of devices.get(opts.bot)?.keys() ?? []) {
        const status = await crypto.getDeviceVerificationStatus(opts.bot, deviceId);
        result.bot_devices.push({ device_id: deviceId, signed_by_owner: Boolean(status?.signedByOwner) });
    }

    const ask = async (isolation) => {
        const sentAt = Date.now();
        const { event_id: eventId } = await client.sendMessage(opts.room, {
            msgtype: "m.text",
            body: opts.command,
        });
        const entry = { event_id: eventId, isolation, reply: null };
        result.sent.push(entry);
        try {
            entry.reply = await until(
                `the bot's reply to ${opts.command}`,
                () => {
                    for (const event of botEvents) {
                        if (event.isBeingDecrypted() || event.isDecryptionFailure()) continue;
                        const content = event.getContent();
                        if (content?.["m.relates_to"]?.["m.in_reply_to"]?.event_id !== eventId) continue;
                        return {
                            event_id: event.getId(),
                            encrypted: event.isEncrypted(),
                            body: content.body,
                            seconds: (Date.now() - sentAt) / 1000,
                        };
                    }
                    return undefined;
                },
                opts.timeoutMs,
            );
        } catch (err) {
            if (!(err instanceof Timeout)) throw err;
            entry.error = err.message;
        }
        return entry;
    };

    let last = await ask("OnlySignedDevicesIsolationMode");
    if (opts["then-all-devices"]) {
        crypto.setDeviceIsolationMode(new AllDevicesIsolationMode(false));
        last = await ask("AllDevicesIsolationMode");
    }
    // Whatever the bot sent that we still cannot read, with the SDK's reason.
    for (const event of botEvents) {
        if (event.isDecryptionFailure()) {
            result.undecryptable.push({ event_id: event.getId(), reason: event.decryptionFailureReason });
        }
    }
    // A late reply to a message sent in an earlier phase would show up here.
    result.replies_to = botEvents
        .map((event) => event.getContent()?.["m.relates_to"]?.["m.in_reply_to"]?.event_id)
        .filter(Boolean);
    client.stopClient();
    if (!last.reply) fail(3, last.error);
    result.ok = true;
    result.elapsed_s = seconds();
    process.stdout.write(JSON.stringify(result) + "\n");
    process.exit(0);
}

main().catch((err) => fail(err instanceof Timeout ? 3 : 1, err?.stack ?? String(err)));
