//! Each error message in the reader's language.
use super::MsgKey;

impl MsgKey {
    pub fn localize(self, locale: crate::i18n::Locale) -> String {
        self.generic(locale)
            .unwrap_or_else(|| self.specific(locale))
            .to_string()
    }

    /// The messages the browser may make itself (its own network and
    /// decoding errors, `ErrorCode::default_message`).
    fn generic(self, locale: crate::i18n::Locale) -> Option<&'static str> {
        use crate::i18n::td_string;
        Some(match self {
            MsgKey::BadRequest => td_string!(locale, err_bad_request),
            MsgKey::MalformedJson => td_string!(locale, err_malformed_json),
            MsgKey::PayloadTooLarge => td_string!(locale, err_payload_too_large),
            MsgKey::NotFound => td_string!(locale, err_not_found),
            MsgKey::RateLimited => td_string!(locale, err_rate_limited),
            MsgKey::Timeout => td_string!(locale, err_timeout),
            MsgKey::Unavailable => td_string!(locale, err_unavailable),
            MsgKey::Internal => td_string!(locale, err_internal),
            MsgKey::Unauthorized => td_string!(locale, err_unauthorized),
            MsgKey::Forbidden => td_string!(locale, err_forbidden),
            MsgKey::Validation => td_string!(locale, err_validation),
            _ => return None,
        })
    }

    /// Every other message is made on the server only: the browser shows
    /// the server's text as it came. Kept out of the browser's build, each
    /// key's six translations stay out of the WASM every visitor downloads.
    #[cfg(feature = "ssr")]
    fn specific(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            MsgKey::EmailInvalid => td_string!(locale, err_email_invalid),
            MsgKey::EmailTaken => td_string!(locale, err_email_taken),
            MsgKey::NameInvalid => td_string!(locale, err_name_invalid),
            MsgKey::PasswordTooShort => td_string!(locale, err_password_short),
            MsgKey::PasswordTooLong => td_string!(locale, err_password_long),
            MsgKey::PasswordCommon => td_string!(locale, err_password_common),
            MsgKey::RoleUnknown => td_string!(locale, err_role_unknown),
            MsgKey::LastAdmin => td_string!(locale, err_last_admin),
            MsgKey::OwnRole => td_string!(locale, err_own_role),
            MsgKey::BadCredentials => td_string!(locale, err_bad_credentials),
            MsgKey::SetupExpired => td_string!(locale, err_setup_expired),
            MsgKey::TotpRequired => td_string!(locale, err_totp_required),
            MsgKey::TotpInvalid => td_string!(locale, err_totp_invalid),
            MsgKey::TooManyAttempts => td_string!(locale, err_too_many_attempts),
            MsgKey::ScopeUnknown => td_string!(locale, err_scope_unknown),
            MsgKey::CrossSite => td_string!(locale, err_cross_site),
            MsgKey::ExpiryInvalid => td_string!(locale, err_expiry_invalid),
            MsgKey::LocaleUnknown => td_string!(locale, err_locale_unknown),
            MsgKey::UrlInvalid => td_string!(locale, err_url_invalid),
            MsgKey::SsoFailed => td_string!(locale, err_sso_failed),
            MsgKey::SsoUnverified => td_string!(locale, err_sso_unverified),
            MsgKey::GrantExceeds => td_string!(locale, err_grant_exceeds),
            MsgKey::OwnRoleEdit => td_string!(locale, err_own_role_edit),
            MsgKey::TargetExceeds => td_string!(locale, err_target_exceeds),
            MsgKey::AdminOnly => td_string!(locale, err_admin_only),
            MsgKey::ConfirmPassword => td_string!(locale, err_confirm_password),
            MsgKey::TokenForbidden => td_string!(locale, err_token_forbidden),
            MsgKey::TokenOutlives => td_string!(locale, err_token_outlives),
            MsgKey::SsoLinkProof => td_string!(locale, err_sso_link_proof),
            MsgKey::SsoTotp => td_string!(locale, err_sso_totp),
            MsgKey::IpInvalid => td_string!(locale, err_ip_invalid),
            MsgKey::TextTooLong => td_string!(locale, err_text_too_long),
            MsgKey::ChoiceInvalid => td_string!(locale, err_choice_invalid),
            MsgKey::EnvironmentInvalid => td_string!(locale, err_environment_invalid),
            MsgKey::TagInvalid => td_string!(locale, err_tag_invalid),
            MsgKey::NumberInvalid => td_string!(locale, err_number_invalid),
            MsgKey::PortInvalid => td_string!(locale, err_port_invalid),
            MsgKey::CredentialInvalid => td_string!(locale, err_credential_invalid),
            MsgKey::HostnameInvalid => td_string!(locale, err_hostname_invalid),
            MsgKey::ServerNameTaken => td_string!(locale, err_server_name_taken),
            MsgKey::TransitionInvalid => td_string!(locale, err_transition_invalid),
            MsgKey::NotDecommissioned => td_string!(locale, err_not_decommissioned),
            MsgKey::FilterInvalid => td_string!(locale, err_filter_invalid),
            MsgKey::ImportRows => td_string!(locale, err_import_rows),
            MsgKey::CsvInvalid => td_string!(locale, err_csv_invalid),
            MsgKey::CsvColumn => td_string!(locale, err_csv_column),
            MsgKey::IntervalInvalid => td_string!(locale, err_interval_invalid),
            MsgKey::TimeoutInvalid => td_string!(locale, err_timeout_invalid),
            MsgKey::HeaderInvalid => td_string!(locale, err_header_invalid),
            MsgKey::StatusCodesInvalid => td_string!(locale, err_status_codes_invalid),
            MsgKey::RegexInvalid => td_string!(locale, err_regex_invalid),
            MsgKey::TargetInvalid => td_string!(locale, err_target_invalid),
            MsgKey::PluginInvalid => td_string!(locale, err_plugin_invalid),
            MsgKey::MonitorNameTaken => td_string!(locale, err_monitor_name_taken),
            MsgKey::ServerUnknown => td_string!(locale, err_server_unknown),
            MsgKey::HeartbeatNotTestable => td_string!(locale, err_heartbeat_not_testable),
            MsgKey::RangeInvalid => td_string!(locale, err_range_invalid),
            MsgKey::SshProfileIncomplete => td_string!(locale, err_ssh_profile_incomplete),
            MsgKey::HostKeyChanged => td_string!(locale, err_host_key_changed),
            MsgKey::SshNeedsServer => td_string!(locale, err_ssh_needs_server),
            MsgKey::TooManyViews => td_string!(locale, err_too_many_views),
            MsgKey::IncidentTitleInvalid => td_string!(locale, err_incident_title_invalid),
            MsgKey::IncidentTextInvalid => td_string!(locale, err_incident_text_invalid),
            MsgKey::IncidentServersInvalid => td_string!(locale, err_incident_servers_invalid),
            MsgKey::CommentInvalid => td_string!(locale, err_comment_invalid),
            MsgKey::IncidentTransitionInvalid => {
                td_string!(locale, err_incident_transition_invalid)
            }
            MsgKey::AssigneeInvalid => td_string!(locale, err_assignee_invalid),
            MsgKey::UpdateEmpty => td_string!(locale, err_update_empty),
            MsgKey::NotificationIdsInvalid => td_string!(locale, err_notification_ids_invalid),
            MsgKey::PostmortemInvalid => td_string!(locale, err_postmortem_invalid),
            MsgKey::MatcherInvalid => td_string!(locale, err_matcher_invalid),
            MsgKey::DateInvalid => td_string!(locale, err_date_invalid),
            MsgKey::MaintenanceScope => td_string!(locale, err_maintenance_scope),
            MsgKey::WeekdaysInvalid => td_string!(locale, err_weekdays_invalid),
            MsgKey::TimeOfDayInvalid => td_string!(locale, err_time_of_day_invalid),
            MsgKey::TimeZoneInvalid => td_string!(locale, err_time_zone_invalid),
            MsgKey::TimeRangeInvalid => td_string!(locale, err_time_range_invalid),
            MsgKey::RuleNameTaken => td_string!(locale, err_rule_name_taken),
            MsgKey::TooManyRules => td_string!(locale, err_too_many_rules),
            MsgKey::MonitorUnknown => td_string!(locale, err_monitor_unknown),
            MsgKey::LabelsInvalid => td_string!(locale, err_labels_invalid),
            MsgKey::AlertIdsInvalid => td_string!(locale, err_alert_ids_invalid),
            MsgKey::ReasonInvalid => td_string!(locale, err_reason_invalid),
            MsgKey::AlertmanagerVersion => td_string!(locale, err_alertmanager_version),
            MsgKey::AlertmanagerAlerts => td_string!(locale, err_alertmanager_alerts),
            MsgKey::SecretRequired => td_string!(locale, err_secret_required),
            MsgKey::SecretTooShort => td_string!(locale, err_secret_too_short),
            MsgKey::ChannelNameTaken => td_string!(locale, err_channel_name_taken),
            MsgKey::ChannelUnknown => td_string!(locale, err_channel_unknown),
            MsgKey::SlugInvalid => td_string!(locale, err_slug_invalid),
            MsgKey::SlugTaken => td_string!(locale, err_slug_taken),
            MsgKey::ComponentsInvalid => td_string!(locale, err_components_invalid),
            MsgKey::LogoInvalid => td_string!(locale, err_logo_invalid),
            MsgKey::PostmortemUnsaved => td_string!(locale, err_postmortem_unsaved),
            MsgKey::StatusPagesFull => td_string!(locale, err_status_pages_full),
            MsgKey::EscalationInvalid => td_string!(locale, err_escalation_invalid),
            MsgKey::ScriptNameTaken => td_string!(locale, err_script_name_taken),
            MsgKey::ScriptBodyInvalid => td_string!(locale, err_script_body_invalid),
            MsgKey::ParametersInvalid => td_string!(locale, err_parameters_invalid),
            MsgKey::ParameterValueInvalid => td_string!(locale, err_parameter_value_invalid),
            MsgKey::ParameterUnknown => td_string!(locale, err_parameter_unknown),
            MsgKey::ParameterRequired => td_string!(locale, err_parameter_required),
            MsgKey::LocalExecutorOff => td_string!(locale, err_local_executor_off),
            MsgKey::RunTargetsInvalid => td_string!(locale, err_run_targets_invalid),
            MsgKey::RunFinished => td_string!(locale, err_run_finished),
            MsgKey::ScriptOrCommand => td_string!(locale, err_script_or_command),
            MsgKey::ScriptUnknown => td_string!(locale, err_script_unknown),
            MsgKey::LibraryFull => td_string!(locale, err_library_full),
            _ => td_string!(locale, err_bad_request),
        }
    }

    #[cfg(not(feature = "ssr"))]
    fn specific(self, locale: crate::i18n::Locale) -> &'static str {
        crate::i18n::td_string!(locale, err_bad_request)
    }
}
