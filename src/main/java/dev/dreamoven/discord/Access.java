package dev.dreamoven.discord;

import java.util.Set;

/**
 * Who may do more than dream, from the configuration: bakers are members of the guild where the bot is
 * administered ({@code adminGuild}) holding one of {@code adminRoles} (ids, never names) or Manage Server there;
 * owners see and cancel every guild's jobs. Rights in one guild never reach another.
 *
 * @param adminGuild the guild id where /bake lives; empty for none
 */
public record Access(String adminGuild, Set<String> adminRoles, Set<String> owners) {
    public Access {
        adminRoles = Set.copyOf(adminRoles);
        owners = Set.copyOf(owners);
    }

    /** Nobody may bake, nobody owns the bot. */
    public static Access none() {
        return new Access("", Set.of(), Set.of());
    }

    public boolean hasAdminGuild() {
        return adminGuild != null && !adminGuild.isBlank();
    }
}
