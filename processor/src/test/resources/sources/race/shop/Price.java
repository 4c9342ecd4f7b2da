package shop;

public record Price(long cents) {}
