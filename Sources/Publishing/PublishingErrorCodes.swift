/// The stable error codes Publishing declares (the storefront catalog and its queries): the `code` of problems and of field
/// errors its rules produce. Each code is declared by one module; a module's sources use only
/// its own codes and those of the modules it depends on, and docs/api.md lists them all (a test
/// holds both).
public enum PublishingErrorCodes {
    /// Every code of this module.
    public static let all: Set<String> = [
        "channel_not_found",
        "invalid_cursor",
        "unknown_filter",
    ]
}
