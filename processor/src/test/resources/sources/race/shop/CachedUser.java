package shop;

public record CachedUser(String name) {}
