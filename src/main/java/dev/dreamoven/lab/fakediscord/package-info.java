/**
 * A fake Discord for running the real JDA client (and the product's {@code serve}) without Discord: the tests and
 * the lab's {@code bench ack} use it, and it lives in the lab so that the lab jar has it while the product jar
 * (which leaves {@code dev/dreamoven/lab/**} and Java-WebSocket out) does not.
 * REST over plain http (JDK {@code HttpServer}) and the gateway over plain ws (Java-WebSocket), both on
 * 127.0.0.1 and ephemeral ports, JSON without compression. {@code fake-discord} ({@link
 * dev.dreamoven.lab.fakediscord.FakeDiscordCommand}) runs it for an operator.
 *
 * <h2>Start it and point JDA at it</h2>
 * <pre>{@code
 * long guild = Snowflakes.next(), channel = Snowflakes.next(), locked = Snowflakes.next();
 * long botId = Snowflakes.next(), alice = Snowflakes.next(), bakerRole = Snowflakes.next();
 * try (FakeDiscord fake = FakeDiscord.builder()
 *         .botUser(botId, "Dream Oven")          // application id = bot id unless set
 *         .guild(FakeGuild.builder(guild, "Test")             // @everyone role id = guild id
 *                 .everyonePermissions(FakeGuild.DEFAULT_EVERYONE)
 *                 .role(bakerRole, "Baker", Permission.MANAGE_SERVER)
 *                 .member(alice, "alice", bakerRole)
 *                 .textChannel(channel, "general")
 *                 .textChannel(locked, "locked", Overwrite.denyMember(botId, Permission.MESSAGE_ADD_REACTION))
 *                 .botRoles()                                 // the bot's member is added automatically
 *                 .build())
 *         .start()) {
 *     JDA jda = FakeDiscordJda.light(fake, GatewayIntent.GUILD_MESSAGE_REACTIONS).addEventListeners(...).build();
 *     jda.awaitReady();
 * }
 * }</pre>
 * The JDA settings that matter ({@link dev.dreamoven.lab.fakediscord.FakeDiscordJda} applies them):
 * {@code new RestConfig().setBaseUrl(fake.apiBaseUrl())} ({@code http://127.0.0.1:PORT/api/v10/}),
 * {@code setSessionController(fake.sessionController())} (a {@code ConcurrentSessionController} whose
 * {@code getGateway()} is {@code fake.gatewayUrl()}), {@code Compression.NONE}, {@code setEnableShutdownHook(false)};
 * the token is {@code fake.token()}. For the product's {@code serve}: {@code discord.api-url = fake.apiBaseUrl()},
 * {@code discord.gateway-url = fake.gatewayUrl()}. A {@code ShardManager} asks {@code GET /gateway/bot}, which
 * answers {@code Builder#shards(n)} and the fake's ws URL; guilds go to shard {@code (id >> 22) % n}
 * ({@link dev.dreamoven.lab.fakediscord.Snowflakes#guildIdForShard} makes such ids).
 *
 * <h2>Drive it</h2>
 * <ul>
 *   <li>{@code fake.slashCommand(SlashCommand.named("dream").option("prompt", "a fox").in(guild, channel).by(alice))}
 *       sends INTERACTION_CREATE to the guild's shard and returns a {@link dev.dreamoven.lab.fakediscord.FakeInteraction}
 *       (id, token, callback type, original message id). {@code .issuedAt(Instant.now().minus(16, MINUTES))} dates
 *       the id so the webhook token is already expired; {@code .subcommand(...)} nests; {@code fake.autocomplete(cmd,
 *       "option")} sends type 4.</li>
 *   <li>{@code fake.addReaction(channel, message, user, "🔁")} / {@code removeReaction}: state plus
 *       MESSAGE_REACTION_ADD/REMOVE (throws if the shard did not ask for GUILD_MESSAGE_REACTIONS).</li>
 *   <li>{@code fake.updateChannel(channel.withOverwrites(...))} changes permissions at run time (CHANNEL_UPDATE);
 *       {@code fake.dispatch(guild, type, json)} sends any event; {@code fake.disconnect(shard, 4000)} drops a shard.</li>
 * </ul>
 *
 * <h2>Observe it (deterministically, no sleeps)</h2>
 * {@code fake.requests()} and {@code fake.frames()} are {@link dev.dreamoven.lab.fakediscord.Recorder}s: snapshots
 * ({@code all}, {@code since(size)}) and blocking look-ups ({@code await(predicate, timeout)},
 * {@code awaitCount}, {@code noneWithin} for "nothing happened"). A {@link dev.dreamoven.lab.fakediscord.RecordedRequest}
 * has method, decoded path relative to the API base ({@code /webhooks/APP/TOKEN/messages/@original}), query,
 * headers (Authorization never kept; {@code authorized()} says whether the token matched), body, multipart
 * {@code parts()}/{@code files()}, the JSON payload (body or {@code payload_json}) and the status the fake answered;
 * <code>is("PATCH", "/webhooks/*&#47;*&#47;messages/@original")</code> matches with {@code *} per segment. IDENTIFY and
 * RESUME frames are recorded with the token redacted. The fake's state is what users would see:
 * {@code fake.messages()}, {@code messagesIn(channel)}, {@code message(id)} ({@code content}, {@code attachments}
 * with bytes and PNG size, {@code reactions}, {@code ephemeral}, {@code loading}, {@code deleted},
 * {@code publiclyVisible}), {@code fake.interaction(id)}, {@code fake.registeredCommands(guildOr0)}.
 *
 * <h2>Script it</h2>
 * <code>fake.when("POST", "/webhooks/*&#47;*").rateLimited(Duration.ofSeconds(1))</code> answers the next matching
 * request with a 429 JDA retries; {@code .missingPermissions()} (403/50013), {@code .missingAccess()} (50001),
 * {@code .serverError()} (500, which JDA does not retry), {@code .fail(status, code, message)},
 * {@code .delay(d)}; {@code .times(n)}, {@code .always()}, {@code .off()}; {@code rule.hits()} counts.
 * {@code fake.clearRules()} between tests.
 *
 * <h2>Discord behaviour it models</h2>
 * <ul>
 *   <li>Callback more than 3 s after INTERACTION_CREATE ({@code Builder#ackDeadline}): 404 10062; a second
 *       callback: 400 40060. Callback type 5 creates a "thinking…" original (flag 128; 64 if ephemeral).</li>
 *   <li>The first follow-up after a deferral replaces the original and keeps the deferral's visibility
 *       (an ephemeral follow-up after a public deferral is public).</li>
 *   <li>Webhook routes 15 minutes after the interaction id's timestamp: 401 50027.</li>
 *   <li>Channel routes check the bot's permissions by Discord's rules (roles, @everyone/role/member
 *       overwrites): no VIEW_CHANNEL 403/50001; SEND_MESSAGES, ATTACH_FILES for files, READ_MESSAGE_HISTORY,
 *       ADD_REACTIONS for a new emoji, MANAGE_MESSAGES for others' messages: 403/50013. Ephemeral or deleted
 *       messages are 404/10008 there. The bot's own reactions are echoed to its shard, as Discord does.</li>
 * </ul>
 * Not modelled: DMs, threads, components other than their callbacks, replay of missed events on RESUME
 * (RESUMED only), zlib/ETF, real rate-limit buckets (only scripted ones), MESSAGE_CREATE for the bot's messages.
 *
 * <h2>What real JDA 6.1.2 needs that is easy to miss</h2>
 * A 429 must carry {@code Via} (any value) or JDA treats it as a Cloudflare ban and blocks every route;
 * {@code Retry-After} must be whole seconds (JDA takes the larger of it and {@code ceil(retry_after)} from the
 * body). {@code session_start_limit.max_concurrency} 1 makes the second shard wait 5 s (the default here is 16).
 * GUILD_CREATE needs a non-zero {@code afk_timeout}, every array, and the bot's member.
 *
 * <p>Run only these tests: {@code mvn -B -ntp -q test -Dtest='dev.dreamoven.lab.fakediscord.*Test'}.
 */
package dev.dreamoven.lab.fakediscord;
